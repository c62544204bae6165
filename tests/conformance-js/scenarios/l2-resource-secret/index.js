// Secret inputs are sent wrapped.
"use strict";
const { pulumi, Resource, Text } = require("../common");
new Resource("res", { value: pulumi.secret(true) });
new Text("text", { text: pulumi.secret("fake-secret-text") });
