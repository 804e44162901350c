#include "src/engine/target.h"

#include <string>

namespace condspec {

Url missing_url(const Url& target) {
  std::string path = target.target.substr(0, target.target.find('?'));
  path = path.substr(0, path.rfind('/') + 1);
  if (path.empty()) path = "/";
  return target.with_target(path + "condspec-no-such-resource");
}

}  // namespace condspec
