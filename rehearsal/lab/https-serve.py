#!/usr/bin/env python3
"""Serves a directory over HTTPS (the lab's pkgs.netbird.io): python3 https-serve.py ADDR PORT DIR CERT KEY."""
import functools
import http.server
import ssl
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    # HTTP/1.1: bodies are delimited by Content-Length. With HTTP/1.0 the end of a body is the connection's close,
    # which Python's TLS socket does without a close_notify; apt (GnuTLS) then drops the file as truncated and
    # reports "does not have a Release file" (found by the rehearsal; curl does not mind).
    protocol_version = "HTTP/1.1"


def main() -> None:
    addr, port, root, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    handler = functools.partial(Handler, directory=root)
    server = http.server.ThreadingHTTPServer((addr, port), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
