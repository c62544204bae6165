// pulumi:pulumi:StackReference: read a plain and a secret output of another stack.
"use strict";
const { pulumi } = require("../common");
const ref = new pulumi.StackReference("ref", { name: "organization/other/dev" });
exports.plain = ref.getOutput("plain");
exports.secret = ref.getOutput("secret");
exports.required = ref.requireOutput("plain");
