// The fake engine wraps listed outputs as secrets; the exported output must stay secret.
"use strict";
const { Resource } = require("../common");
const res = new Resource("res", { value: true }, { additionalSecretOutputs: ["value"] });
exports.value = res.value;
