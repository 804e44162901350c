# aiohttp's static route (web.FileResponse) for condspec's real-server tests,
# with its defaults: `python3 aiohttp-server.py PORT DOCROOT`, on 127.0.0.1
# only. aiohttp evaluates the preconditions and Range itself.
import sys

from aiohttp import web

port, docroot = int(sys.argv[1]), sys.argv[2]
app = web.Application()
app.router.add_static("/", docroot)
web.run_app(app, host="127.0.0.1", port=port, print=None)
