# Libraries jobfair-hub (and jf_hub_core, when it exists) link; each area appends what it needs.
target_link_libraries(jobfair-hub PRIVATE jf_domain jf_crypto Threads::Threads)
if(TARGET jf_hub_core)
  target_link_libraries(jobfair-hub PRIVATE jf_hub_core)
endif()
# The hub's server, storage and staff commands (sync area).
target_link_libraries(jobfair-hub PRIVATE jf_wire jf_log OpenSSL::SSL OpenSSL::Crypto PkgConfig::SQLITE3)
target_link_libraries(jf_hub_core PUBLIC jf_store jf_wire jf_domain jf_crypto jf_log PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto
                      PkgConfig::SQLITE3 PkgConfig::LIBPQ Threads::Threads)
if(TARGET jf_store)
  target_link_libraries(jf_hub_core PUBLIC jf_store)
endif()
# Credentials: keygen / issue / badges (QR rendering and PNG from jf_scan).
target_link_libraries(jobfair-hub PRIVATE jf_protocol jf_scan)
# The union's forms: `import-listings` (XLSX/XLS/CSV) and `report`.
target_link_libraries(jobfair-hub PRIVATE jf_forms jf_i18n)
target_link_libraries(jf_hub_core PUBLIC jf_forms) # the attendee registry: the one table reader
target_link_libraries(jobfair-hub PRIVATE jf_cli)
target_link_libraries(jf_hub_core PUBLIC jf_cli)
# Web pages: translations (jf_i18n); the phone pages register like a terminal (jf_desk's checks,
# jf_store's sealing) and draw codes with the project's QR encoder (jf_scan).
target_link_libraries(jf_hub_core PUBLIC jf_i18n jf_desk jf_scan jf_protocol)
# Badge sheets (hub_badges.hpp), for `badges` and the console's People page: cairo and Pango.
target_link_libraries(jf_hub_core PUBLIC PkgConfig::PANGOCAIRO)
# The console's Reports page builds the forms as `report` does (hub_reports.hpp).
target_link_libraries(jf_hub_core PUBLIC jf_forms)
