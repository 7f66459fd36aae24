# Every dependency is a Debian 12 package; a missing one stops configure and names the package
# to install (platform/linux/install-deps.sh installs them all).
find_package(PkgConfig REQUIRED)

function(jf_require_pkg target module debian_pkg)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "Missing ${module}: install the Debian package '${debian_pkg}' "
                        "(or run platform/linux/install-deps.sh)")
  endif()
endfunction()

function(jf_require_header header debian_pkg)
  find_path(_jf_hdr_${debian_pkg} ${header})
  if(NOT _jf_hdr_${debian_pkg})
    message(FATAL_ERROR "Missing ${header}: install the Debian package '${debian_pkg}' "
                        "(or run platform/linux/install-deps.sh)")
  endif()
endfunction()

jf_require_pkg(SQLITE3 sqlite3 libsqlite3-dev)
jf_require_pkg(LIBPQ libpq libpq-dev)
jf_require_pkg(SODIUM libsodium libsodium-dev)
jf_require_pkg(CURL libcurl libcurl4-openssl-dev)
jf_require_pkg(ZXING zxing libzxing-dev)
jf_require_pkg(GLFW glfw3 libglfw3-dev)
jf_require_pkg(IMGUI imgui "libimgui-dev libstb-dev")
jf_require_pkg(FREETYPE freetype2 libfreetype-dev)
jf_require_pkg(PNG libpng libpng-dev)
jf_require_pkg(ALSA alsa libasound2-dev)
jf_require_pkg(STB stb libstb-dev)
jf_require_pkg(JPEG libjpeg libjpeg62-turbo-dev)
jf_require_pkg(XLSXWRITER xlsxwriter libxlsxwriter-dev)
jf_require_pkg(FREEXL freexl libfreexl-dev)
jf_require_pkg(LIBZIP libzip libzip-dev)
jf_require_pkg(EXPAT expat libexpat1-dev)
jf_require_pkg(GOOGLEPINYIN googlepinyin libgooglepinyin0-dev)
jf_require_pkg(ZINNIA zinnia libzinnia-dev)
jf_require_pkg(X11 x11 libx11-dev)
jf_require_pkg(XTST xtst libxtst-dev)
# Badge sheets as PDF: Chinese names laid out by Pango, drawn by cairo.
jf_require_pkg(PANGOCAIRO "pangocairo;cairo-pdf" "libpango1.0-dev libcairo2-dev")
jf_require_header(nlohmann/json.hpp nlohmann-json3-dev)
jf_require_header(httplib.h libcpp-httplib-dev)
# Debian builds cpp-httplib as a shared library (with OpenSSL, zlib, brotli support defines).
jf_require_pkg(HTTPLIB cpp-httplib libcpp-httplib-dev)
jf_require_header(catch2/catch.hpp catch2)
# The hub's HTTPS server: Boost.Beast/Asio, header-only in Debian's package.
jf_require_header(boost/beast.hpp libboost-dev)
find_package(OpenSSL REQUIRED)
find_package(OpenGL REQUIRED)
find_package(Threads REQUIRED)

# Debian's libimgui.a carries the GLFW and OpenGL3 backends and the FreeType builder.
add_library(jf_imgui INTERFACE)
target_link_libraries(jf_imgui INTERFACE PkgConfig::IMGUI PkgConfig::GLFW PkgConfig::FREETYPE
                                         OpenGL::GL ${CMAKE_DL_LIBS})

find_package(spdlog CONFIG QUIET)
if(NOT spdlog_FOUND)
  message(FATAL_ERROR "Missing spdlog: install the Debian package 'libspdlog-dev' "
                      "(or run platform/linux/install-deps.sh)")
endif()
