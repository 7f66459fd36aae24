# `cmake --install` and the Debian packages (CPack), from one list of what goes where:
#
#   <prefix>/bin/jobfair-kiosk, jobfair-hub          programs        (packages jobfair-kiosk, -hub)
#   <prefix>/share/jobfair/assets/                   translations, demo data     (jobfair-common)
#   <prefix>/share/doc/jobfair/                      README.md and docs/         (jobfair-common)
#   <prefix>/share/jobfair/sample-listings.csv       a 附件4 example for a trial (jobfair-hub)
#   <prefix>/lib/systemd/system/jobfair-hub.service  the hub as a service        (jobfair-hub)
#   <prefix>/lib/systemd/user/jobfair-kiosk.service  the kiosk in a session      (jobfair-kiosk)
#
# An installed program finds its assets beside itself (kiosk/i18n/i18n.hpp, assets_dir()), so
# nothing here depends on the source tree. tests/install/test_install.sh builds the packages,
# unpacks them into a scratch root and runs the programs there with the source tree hidden.
include(GNUInstallDirs)

install(TARGETS jobfair-kiosk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
install(TARGETS jobfair-hub RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT hub)
install(DIRECTORY assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/jobfair/assets COMPONENT common)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT common)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT common)
install(FILES sync/hub/sample-listings.csv DESTINATION ${CMAKE_INSTALL_DATADIR}/jobfair
        COMPONENT hub)

# The units name /usr/local/bin (a hand install); the installed copies name the real prefix,
# which CPack sets to /usr only when it installs, hence install(CODE).
function(jf_install_unit component unit subdir)
  install(CODE "
    file(READ \"${CMAKE_CURRENT_SOURCE_DIR}/platform/linux/${unit}\" text)
    string(REPLACE \"/usr/local/\" \"\${CMAKE_INSTALL_PREFIX}/\" text \"\${text}\")
    set(dest \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/systemd/${subdir}\")
    file(MAKE_DIRECTORY \"\${dest}\")
    file(WRITE \"\${dest}/${unit}\" \"\${text}\")
    message(STATUS \"Installing: \${dest}/${unit}\")
  " COMPONENT ${component})
endfunction()
jf_install_unit(hub jobfair-hub.service system)
jf_install_unit(kiosk jobfair-kiosk.service user)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME jobfair)
set(CPACK_PACKAGE_VENDOR "jobfair")
set(CPACK_PACKAGE_CONTACT "jobfair maintainers <jobfair@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Job-fair terminals and the hub they sync with")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL common kiosk hub)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_COMMON_PACKAGE_NAME jobfair-common)
set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME jobfair-kiosk)
set(CPACK_DEBIAN_HUB_PACKAGE_NAME jobfair-hub)
# Names on screen and on badges need a CJK font; the kiosk's handwriting and pinyin input need
# their dictionaries at run time.
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "jobfair-common (= ${PROJECT_VERSION}), fonts-noto-cjk, tegaki-zinnia-simplified-chinese")
# Spoken prompts for older visitors need espeak-ng (without it the kiosk is silent, nothing else).
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "espeak-ng")
set(CPACK_DEBIAN_HUB_PACKAGE_DEPENDS "jobfair-common (= ${PROJECT_VERSION}), fonts-noto-cjk, adduser, libjs-chart.js")
# The hub's own unprivileged user, as its systemd unit expects.
set(CPACK_DEBIAN_HUB_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_SOURCE_DIR}/platform/linux/debian/hub-postinst/postinst")
set(CPACK_DEBIAN_HUB_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_COMMON_DESCRIPTION "Translations, demo data and documentation of the job-fair terminal and hub")
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "Job-fair touchscreen terminal (entrance, employer desk, station)")
set(CPACK_COMPONENT_HUB_DESCRIPTION "Job-fair hub: the HTTPS server terminals sync with, and the union's reports")
include(CPack)
