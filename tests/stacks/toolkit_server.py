"""The sagemaker-inference toolkit's serving path (multi-model endpoints), without its Java front end.

Run inside a stack's virtualenv: `python toolkit_server.py PORT MODEL_DIR`. Each HTTP request is
encoded as multi-model-server's front end sends it to a Python worker (its binary frame: headers,
then the body parameter), decoded by MMS's own `retrieve_msg` with the toolkit's setting
`decode_input_request=false` (so the body arrives as a bytearray), run through MMS's `Service` and
the scikit-learn container's `HandlerService` (the toolkit's Transformer, then code/inference.py),
and the worker's binary answer is decoded back into status, content type, headers and body.
Python 3.9 compatible: it runs in the images' interpreters.
"""

import os
import socket
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

os.environ["MMS_DECODE_INPUT_REQUEST"] = "false"  # what the toolkit's mms properties set

from mms.protocol.otf_message_handler import retrieve_msg
from mms.service import Service
from sagemaker_sklearn_container.handler_service import HandlerService

FORWARDED = ("Content-Type", "Accept", "X-Amzn-SageMaker-Custom-Attributes")


def _frame(value):
    return struct.pack("!i", len(value)) + value


def encode_request(body, headers):
    """An MMS predict message with one request, as the front end writes it."""
    message = b"I" + _frame(b"request-1")
    for name, value in headers.items():
        message += _frame(name.encode()) + _frame(value.encode())
    message += struct.pack("!i", -1)
    message += _frame(b"body") + _frame(headers.get("Content-Type", "").encode()) + _frame(body)
    return message + struct.pack("!i", -1) + struct.pack("!i", -1)


class _Reader:
    def __init__(self, data):
        self.data, self.at = bytes(data), 0

    def int(self):
        (value,) = struct.unpack("!i", self.data[self.at:self.at + 4])
        self.at += 4
        return value

    def bytes(self):
        length = self.int()
        value = self.data[self.at:self.at + length]
        self.at += length
        return value


def decode_response(data):
    """(status, content type, headers, body) of the worker's answer to one request."""
    reader = _Reader(data)
    reader.int()  # the batch's code
    reader.bytes()  # the batch's message
    reader.bytes()  # the request id
    content_type = reader.bytes().decode()
    status = reader.int()
    reader.bytes()  # the reason phrase
    headers = {}
    for _ in range(reader.int()):
        name = reader.bytes().decode()
        headers[name] = reader.bytes().decode()
    return status, content_type, headers, reader.bytes()


def make_handler(service):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self._answer(200 if self.path == "/ping" else 404, "text/plain", {}, b"")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            forwarded = {name: self.headers[name] for name in FORWARDED if self.headers.get(name) is not None}
            front, worker = socket.socketpair()
            with front, worker:  # the front end writes while the worker reads, as two processes would
                writer = threading.Thread(target=front.sendall, args=(encode_request(body, forwarded),))
                writer.start()
                _, batch = retrieve_msg(worker)
                writer.join()
            status, content_type, headers, answer = decode_response(service.predict(batch))
            self._answer(status, content_type, headers, answer)

        def _answer(self, status, content_type, headers, body):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                if name.lower() != "content-type":  # the toolkit also files the content type among them
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            """Quiet: the tests read statuses, not logs."""

    return Handler


def main():
    port, model_dir = int(sys.argv[1]), sys.argv[2]
    sys.path.insert(0, os.path.join(model_dir, "code"))
    os.environ.setdefault("SAGEMAKER_PROGRAM", "inference.py")
    handler = HandlerService()
    service = Service("model", model_dir, None, handler.handle, None, 1)
    handler.initialize(service.context)
    HTTPServer(("127.0.0.1", port), make_handler(service)).serve_forever()


if __name__ == "__main__":
    main()
