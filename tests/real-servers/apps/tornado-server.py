# Tornado's StaticFileHandler for condspec's real-server tests, with its
# defaults: `python3 tornado-server.py PORT DOCROOT`, on 127.0.0.1 only.
# Tornado evaluates If-None-Match, If-Modified-Since and Range itself.
import sys

import tornado.ioloop
import tornado.web

port, docroot = int(sys.argv[1]), sys.argv[2]
app = tornado.web.Application([(r"/(.*)", tornado.web.StaticFileHandler, {"path": docroot})])
app.listen(port, address="127.0.0.1")
tornado.ioloop.IOLoop.current().start()
