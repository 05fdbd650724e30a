# What `cmake --install` puts where (README, "Installing"). With the prefix
# /usr, as in the Debian package:
#
#   /usr/bin/slamon
#   /usr/lib/systemd/system/slamon.service
#   /etc/slamon/slamon.yml                         the short working config
#   /usr/share/doc/slamon/examples/slamon.example.yml   every key, commented
#   /usr/share/slamon/prometheus/                  rules and example config
#   /usr/share/slamon/grafana/                     dashboards and provisioning
#   /usr/share/slamon/adapters/                    help-desk adapters (SQL)
#   /usr/share/man/man8/slamon.8, man5/slamon.yml.5  the man pages
#
# Included from the top-level CMakeLists.txt after the slamon target exists.
include(GNUInstallDirs)

install(TARGETS slamon RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Debian and systemd keep vendor units in <prefix>/lib/systemd/system, not in
# the multiarch CMAKE_INSTALL_LIBDIR.
install(FILES ${PROJECT_SOURCE_DIR}/systemd/slamon.service DESTINATION lib/systemd/system)

# The config directory follows GNUInstallDirs' rule (prefix /usr: /etc,
# otherwise <prefix>/etc), decided when installing rather than when
# configuring: `cmake --install --prefix DIR` and cpack (which installs with
# the prefix /usr) get the right place whatever prefix the build was
# configured with.
install(CODE [[
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR CMAKE_INSTALL_PREFIX STREQUAL "/usr/")
    set(SLAMON_INSTALL_CONFDIR "/etc/slamon")
  else()
    set(SLAMON_INSTALL_CONFDIR "${CMAKE_INSTALL_PREFIX}/etc/slamon")
  endif()
  # Without its leading slashes: the DESTINATION below adds one, which makes
  # it absolute (so not prefixed again) while still honouring DESTDIR.
  string(REGEX REPLACE "^/+" "" SLAMON_INSTALL_CONFDIR "${SLAMON_INSTALL_CONFDIR}")
]])
install(FILES ${PROJECT_SOURCE_DIR}/config/slamon.yml DESTINATION "/\${SLAMON_INSTALL_CONFDIR}")

install(FILES ${PROJECT_SOURCE_DIR}/config/slamon.example.yml
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# The example Prometheus config loads slamon.rules.yml from its own directory.
install(FILES ${PROJECT_SOURCE_DIR}/prometheus/slamon.rules.yml
              ${PROJECT_SOURCE_DIR}/prometheus/prometheus.example.yml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/slamon/prometheus)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/grafana/ DESTINATION ${CMAKE_INSTALL_DATADIR}/slamon/grafana)

# Help-desk adapters (SQL), for `psql -f` (README, "Feeding slamon from your
# help desk").
install(DIRECTORY ${PROJECT_SOURCE_DIR}/adapters/ DESTINATION ${CMAKE_INSTALL_DATADIR}/slamon/adapters)

install(FILES ${PROJECT_SOURCE_DIR}/man/slamon.8 DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${PROJECT_SOURCE_DIR}/man/slamon.yml.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
