#include "src/engine/cache_target.h"

namespace condspec {

std::string resource_name(const CacheTarget& cache, std::string_view scenario) {
  return cache.scope + std::string(scenario);
}

Url cache_url_for(const Url& cache_url, const CacheTarget& cache, std::string_view name) {
  std::string base = cache_url.target.substr(0, cache_url.target.find('?'));
  base = base.substr(0, base.rfind('/'));  // the cache URL's folder, without its last '/'
  return cache_url.with_target(base + cache.origin->prefix() + std::string(name));
}

bool is_validation(const Request& upstream) {
  return upstream.fields.has("If-None-Match") || upstream.fields.has("If-Modified-Since");
}

}  // namespace condspec
