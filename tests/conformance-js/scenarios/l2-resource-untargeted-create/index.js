// The engine answers a create it skipped (outside --target) with unknown = true: id and outputs stay unknown.
"use strict";
const { pulumi, Resource, Text } = require("../common");
const skipped = new Resource("untargeted-res", { value: true });
new Resource("uses-value", { value: skipped.value });
new Text("uses-id", { text: pulumi.interpolate`${skipped.id}-suffix` });
