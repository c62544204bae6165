"use strict";
const { Resource, Provider } = require("../common");
const url = "https://plugins.example.invalid/simple";
const prov = new Provider("prov", { pluginDownloadURL: url });
new Resource("res", { value: true }, { pluginDownloadURL: url });
new Resource("with-provider", { value: true }, { provider: prov });
