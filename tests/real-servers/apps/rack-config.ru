# A Rack app for condspec's real-server tests, run by Puma
# (CONDSPEC_DOCROOT=DOCROOT puma -b tcp://127.0.0.1:PORT rack-config.ru).
# It answers as a Rails controller action does by default: content generated
# per request (here, the file read anew), Rack::ETag adding a weak tag from
# its digest, Rack::ConditionalGet answering If-None-Match (and
# If-Modified-Since, without a Last-Modified here) — the middleware Rails puts
# in every app's stack, in the same order.
docroot = ENV.fetch("CONDSPEC_DOCROOT")

use Rack::Head
use Rack::ConditionalGet
use Rack::ETag

run(lambda do |env|
  path = Rack::Utils.clean_path_info(Rack::Utils.unescape_path(env["PATH_INFO"]))
  file = File.join(docroot, path)
  next [404, { "Content-Type" => "text/plain" }, ["Not Found\n"]] unless File.file?(file)

  [200, { "Content-Type" => "text/plain" }, [File.binread(file)]]
end)
