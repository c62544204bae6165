// Plain and secret config; the secret must reach the stack outputs wrapped.
"use strict";
const { pulumi } = require("../common");
const config = new pulumi.Config();
exports.plain = config.require("plain");
exports.password = config.requireSecret("password");
exports.number = config.requireNumber("number");
