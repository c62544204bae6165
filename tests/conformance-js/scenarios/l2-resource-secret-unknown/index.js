// A secret computed from an unknown (in preview) value: Node 3.270 keeps the secret marker around the unknown.
"use strict";
const { pulumi, Resource, Text } = require("../common");
const first = new Resource("first", { value: true });
new Text("text", { text: pulumi.secret(first.id) });
exports.secretId = pulumi.secret(first.id);
