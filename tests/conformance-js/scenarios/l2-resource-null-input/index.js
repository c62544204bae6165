// Inputs whose value resolves to nothing are left out of the request (with their dependencies).
"use strict";
const { pulumi, Resource, Text } = require("../common");
const first = new Resource("first", { value: true });
new Text("plain", { text: pulumi.output(undefined) });
new Text("derived", { text: first.id.apply(() => undefined) });
