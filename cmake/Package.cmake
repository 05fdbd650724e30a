# `cpack` (or `ninja package`) in a build directory makes the Debian package
# slamon_<version>-1_<arch>.deb from the install rules of cmake/Install.cmake.
# The maintainer scripts in packaging/debian create the system user slamon,
# give /etc/slamon to root:slamon 0750, and enable the service (README,
# "Installing").
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME slamon)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR slamon)
set(CPACK_PACKAGE_CONTACT "slamon maintainers <slamon@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SLA monitoring daemon for support tickets")
set(CPACK_PACKAGE_DESCRIPTION
    "slamon watches support tickets in PostgreSQL against a support SLA: response,\n\
workaround and resolution targets per severity on 24x7 or business-day\n\
calendars, pauses, re-classification, incident quotas, certification and\n\
supported versions. It exports Prometheus metrics and sends alerts to\n\
Alertmanager. The package ships a hardened systemd unit, Prometheus rules and\n\
Grafana dashboards.")
# Install into the staging directory through DESTDIR with the prefix /usr,
# whatever prefix the build was configured with, so that the install rules
# put the binary in /usr/bin and the config in /etc/slamon.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries found by dpkg-shlibdeps (package dpkg-dev), plus what the
# binary opens at run time, the maintainer scripts call or the unit runs:
# ExecReload's /bin/kill is procps's (priority important, so missing from
# minimal systems and containers; openssh-server depends on it for the same).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, adduser, procps")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, prometheus, prometheus-alertmanager")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/\\\\.cache/")

include(CPack)
