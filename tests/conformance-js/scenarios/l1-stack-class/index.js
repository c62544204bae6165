// The twin of a C# Stack subclass run with Deployment.RunAsync<TStack>(): its [Output] properties
// are the stack outputs. JS has no stack class, so the same outputs are plain exports.
"use strict";
const { pulumi, Text } = require("../common");
const text = new Text("text", { text: "from a stack class" });
exports.greeting = pulumi.output("hello");
exports.text = text.text;
exports.secret = pulumi.secret("fake-secret-from-stack-class");
