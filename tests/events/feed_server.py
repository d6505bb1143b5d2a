"""A local HTTP server for the calendar-sync tests: routes answer a body, a redirect,
a slow trickle or a huge stream. Bound to 127.0.0.1 only."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    def __init__(self):
        self.routes = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                route(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path):
        return self.base + path

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- routes -----------------------------------------------------------------

    def ics(self, path, body, *, content_type="text/calendar; charset=utf-8", etag=None):
        def answer(handler):
            if etag and handler.headers.get("If-None-Match") == etag:
                handler.send_response(304)
                handler.end_headers()
                return
            data = body() if callable(body) else body
            handler.send_response(200)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            if etag:
                handler.send_header("ETag", etag)
            handler.end_headers()
            handler.wfile.write(data)

        self.routes[path] = answer

    def redirect(self, path, location):
        def answer(handler):
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.end_headers()

        self.routes[path] = answer

    def slow(self, path, seconds):
        def answer(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/calendar")
            handler.end_headers()
            handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
            handler.wfile.flush()
            time.sleep(seconds)

        self.routes[path] = answer

    def huge(self, path, megabytes):
        def answer(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/calendar")
            handler.end_headers()
            try:
                handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
                chunk = b"X-FILLER:" + b"x" * 1000 + b"\r\n"
                for _ in range(megabytes * 1000):
                    handler.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass

        self.routes[path] = answer
