# Builds one layering probe of the ui layer and checks what the compiler said.
#   cmake -DBUILD_DIR=<build tree> -DPROBE=<target> -DEXPECT=compiles -P LayeringProbe.cmake
#   cmake -DBUILD_DIR=<build tree> -DPROBE=<target> -DEXPECT=missing -DHEADER=<"layer/File.h"> -P LayeringProbe.cmake
# `missing` passes only when the build fails because the compiler did not find HEADER: a probe that
# fails for any other reason (a typo, a broken setup) fails this test too.
foreach(v BUILD_DIR PROBE EXPECT)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "LayeringProbe.cmake: -D${v}=... is required")
    endif()
endforeach()

execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target "${PROBE}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)

if(EXPECT STREQUAL "compiles")
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${PROBE}: a ui source could not include what ui may use:\n${out}")
    endif()
    message(STATUS "${PROBE}: compiled, as a ui source should")
elseif(EXPECT STREQUAL "missing")
    if(NOT DEFINED HEADER)
        message(FATAL_ERROR "LayeringProbe.cmake: EXPECT=missing needs -DHEADER=...")
    endif()
    if(rc EQUAL 0)
        message(FATAL_ERROR "${PROBE}: compiled: a ui source reached ${HEADER}, which the layering forbids")
    endif()
    string(REPLACE "." "\\." header_re "${HEADER}")
    # GCC: "fatal error: a/B.h: No such file or directory"; Clang: "fatal error: 'a/B.h' file not found".
    if(NOT out MATCHES "fatal error: '?${header_re}'?:? (No such file or directory|file not found)")
        message(FATAL_ERROR "${PROBE}: failed, but not because ${HEADER} was not found:\n${out}")
    endif()
    message(STATUS "${PROBE}: ${HEADER} not found, as the layering wants")
else()
    message(FATAL_ERROR "LayeringProbe.cmake: EXPECT must be compiles or missing, not ${EXPECT}")
endif()
