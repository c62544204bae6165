"use strict";
const { Resource } = require("../common");
new Resource("res", { value: true }, { import: "existing-id" });
