"use strict";
const { Resource } = require("../common");
new Resource("res", { value: true }, { customTimeouts: { create: "5m", update: "10m", delete: "1h" } });
