#pragma once
// For end-to-end tests that start real servers and caches through
// scripts/real-servers.sh and scripts/real-caches.sh: running a script
// command, whether CI requires a server, and a port to give it.

#include <chrono>
#include <string>

namespace condspec::test {

struct Shell {
  int code = -1;    // -1: the shell could not be started, or was killed
  std::string out;  // stdout and stderr together
};

// Runs `command` through the shell, ended by timeout(1) after `bound`.
Shell shell(const std::string& command, std::chrono::seconds bound);

// Whether CONDSPEC_REQUIRE_REAL_SERVERS (space-separated names, or "all")
// names `name`: then a server that is not installed fails its test instead
// of skipping it.
bool required(const std::string& name);

// A free port on 127.0.0.1, for a server that must be told its port before
// it starts: drawn at random below the range the kernel hands out for port 0
// and outgoing connections (server_scripts.cpp), so that none of those takes
// it before the server binds it.
int free_port();

}  // namespace condspec::test
