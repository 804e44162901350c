vcl 4.1;
# condspec's cache tests: Varnish with its defaults, in front of the origin
# `condspec cache --origin-listen` opens (ORIGIN_PORT is filled in by
# scripts/real-caches.sh).
backend default {
  .host = "127.0.0.1";
  .port = "ORIGIN_PORT";
}
