jf_add_fuzzer(import_xlsx SOURCES fuzz_import_xlsx.cpp LIBS jf_forms)
