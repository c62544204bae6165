// Shared resource shapes for the conformance scenarios. Each one has a twin in
// tests/Boma.Pulumi.Conformance.Programs/Shapes (same type token, inputs and options).
"use strict";
const pulumi = require("@pulumi/pulumi");

const version = "2.0.0";

// simple:index:Resource {value: bool}, the generic custom resource of the language tests.
class Resource extends pulumi.CustomResource {
    constructor(name, args, opts) {
        super("simple:index:Resource", name, { value: args.value }, { version, ...opts });
    }
}

// simple:index:Text {text: string}, used where a string input carries another resource's output.
class Text extends pulumi.CustomResource {
    constructor(name, args, opts) {
        super("simple:index:Text", name, { text: args.text }, { version, ...opts });
    }
}

// pulumi:providers:simple, an explicit provider for the "simple" package.
class Provider extends pulumi.ProviderResource {
    constructor(name, opts) {
        super("simple", name, {}, { version, ...opts });
    }
}

// A component with one custom child per entry of `children` (Parent = this), then registerOutputs.
class Parent extends pulumi.ComponentResource {
    constructor(name, children, opts) {
        super("components:index:Parent", name, {}, opts);
        this.children = children.map((c) => new Resource(`${name}-${c}`, { value: true }, { parent: this }));
        this.registerOutputs({});
    }
}

module.exports = { pulumi, Resource, Text, Provider, Parent };
