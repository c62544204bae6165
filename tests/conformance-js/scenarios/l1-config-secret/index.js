// Plain and secret config; the secret must reach the stack outputs wrapped. The optional getters
// (getSecret, getBoolean, getObject) and an unset key are read too.
"use strict";
const { pulumi } = require("../common");
const config = new pulumi.Config();
exports.plain = config.require("plain");
exports.password = config.requireSecret("password");
exports.number = config.requireNumber("number");
exports.maybePassword = config.getSecret("password");
exports.flag = config.getBoolean("flag");
const peer = config.getObject("peer");
exports.peerHost = peer.host;
exports.peerPort = peer.port;
exports.absentIsUnset = config.get("absent") === undefined && config.getObject("absent") === undefined;
