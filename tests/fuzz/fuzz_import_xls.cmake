jf_add_fuzzer(import_xls SOURCES fuzz_import_xls.cpp LIBS jf_forms)
