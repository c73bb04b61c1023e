# Compares the pact the consumer tests just wrote with the committed one.
#   cmake -DGENERATED=<build pact> -DCOMMITTED=<tests/contract/pacts/…json> -P CheckPacts.cmake
# With DCM_UPDATE_PACTS=1 in the environment, the committed file is replaced instead (then review the
# diff and commit it with the adapter change that caused it).
if(NOT EXISTS "${GENERATED}")
    message(FATAL_ERROR "no pact was written at ${GENERATED}: did the consumer contract tests run?")
endif()
if("$ENV{DCM_UPDATE_PACTS}" STREQUAL "1")
    get_filename_component(dir "${COMMITTED}" DIRECTORY)
    file(MAKE_DIRECTORY "${dir}")
    file(COPY_FILE "${GENERATED}" "${COMMITTED}" ONLY_IF_DIFFERENT)
    message(STATUS "updated ${COMMITTED}")
    return()
endif()
if(NOT EXISTS "${COMMITTED}")
    message(FATAL_ERROR "no committed pact at ${COMMITTED}.\n"
                        "Create it with: DCM_UPDATE_PACTS=1 ctest -L contract")
endif()
file(READ "${GENERATED}" generated)
file(READ "${COMMITTED}" committed)
if(NOT generated STREQUAL committed)
    message(FATAL_ERROR "the adapter's vim25 requests or the contract changed: ${GENERATED} differs from the committed "
                        "${COMMITTED}.\n"
                        "See what changed:  diff -u ${COMMITTED} ${GENERATED}\n"
                        "If the change is intended: DCM_UPDATE_PACTS=1 ctest -L contract, review, commit the pact.")
endif()
message(STATUS "pact matches the committed ${COMMITTED}")
