"use strict";
const { Resource, Provider } = require("../common");
const prov = new Provider("prov");
new Resource("res", { value: true }, { provider: prov });
