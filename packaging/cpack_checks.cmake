# Read by cpack (CPACK_PROJECT_CONFIG_FILE) before it builds a package.
# Without dpkg-shlibdeps CPack would still build the .deb, silently without
# its Depends line: refuse instead.
if(CPACK_GENERATOR STREQUAL "DEB")
  find_program(condspec_dpkg_shlibdeps dpkg-shlibdeps)
  if(NOT condspec_dpkg_shlibdeps)
    message(FATAL_ERROR
            "condspec: dpkg-shlibdeps is missing, so the package would have no Depends line; "
            "install dpkg-dev (apt-get install dpkg-dev)")
  endif()
endif()
