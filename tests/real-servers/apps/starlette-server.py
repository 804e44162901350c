# Starlette's StaticFiles under uvicorn for condspec's real-server tests, with
# their defaults: `python3 starlette-server.py PORT DOCROOT`, on 127.0.0.1
# only. StaticFiles evaluates If-None-Match and If-Modified-Since itself.
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

port, docroot = int(sys.argv[1]), sys.argv[2]
app = Starlette(routes=[Mount("/", app=StaticFiles(directory=docroot))])
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
