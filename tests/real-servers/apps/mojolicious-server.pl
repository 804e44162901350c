# Mojolicious's static file serving (Mojolicious::Static) for condspec's
# real-server tests, with its defaults, on its own server:
# `CONDSPEC_DOCROOT=DOCROOT perl mojolicious-server.pl daemon -l http://127.0.0.1:PORT`.
# Mojolicious evaluates If-None-Match, If-Modified-Since and Range itself.
use Mojolicious::Lite -signatures;

app->static->paths([$ENV{CONDSPEC_DOCROOT}]);
app->start;
