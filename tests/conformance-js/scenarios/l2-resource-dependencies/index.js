// Outputs of one resource used as inputs of others: dependencies, propertyDependencies, unknowns in preview.
"use strict";
const { pulumi, Resource, Text } = require("../common");
const first = new Resource("first", { value: true });
new Resource("second", { value: first.value });
new Text("text", { text: pulumi.interpolate`${first.id}-suffix` });
new Text("plain", { text: first.urn });
