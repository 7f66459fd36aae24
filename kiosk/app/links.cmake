# Libraries jobfair-kiosk links; each area appends what it needs. Included at the end of the
# top-level CMakeLists.txt, when every target exists.
target_link_libraries(jobfair-kiosk PRIVATE jf_domain jf_crypto jf_i18n Threads::Threads)
# Enrolment and sync from the command line (sync area).
if(TARGET jf_sync_engine)
  target_link_libraries(jobfair-kiosk PRIVATE jf_sync_engine)
endif()
# The touchscreen: screens, window, store and logs.
target_link_libraries(jobfair-kiosk PRIVATE jf_ui jf_gfx jf_sound jf_store jf_log)
# Scanning: `decode` and the camera / hand-scanner pipeline.
target_link_libraries(jobfair-kiosk PRIVATE jf_scan jf_protocol)
# The union's forms: `import-listings`, `import-targets`, `report`.
target_link_libraries(jobfair-kiosk PRIVATE jf_forms jf_store jf_i18n)
target_link_libraries(jobfair-kiosk PRIVATE jf_cli)
# Receipt printing: `print-test` and the walk-up slip.
target_link_libraries(jobfair-kiosk PRIVATE jf_print jf_desk)
