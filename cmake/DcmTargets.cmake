# Per-layer include roots. Each layer's sources are reached as "<layer>/File.h" only through a
# folder in the build tree that holds a single link to that layer, and only targets that link the
# layer get that folder on their include path. An include across a forbidden edge fails to build.
function(dcm_layer_include_root target layer)
    set(root "${CMAKE_BINARY_DIR}/include-roots/${layer}")
    if(NOT EXISTS "${root}/${layer}")
        file(MAKE_DIRECTORY "${root}")
        file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${layer}" "${root}/${layer}" SYMBOLIC COPY_ON_ERROR)
    endif()
    target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${root}>")
endfunction()

function(dcm_warnings target)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
            $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
        if(DCM_WERROR)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    elseif(MSVC)
        target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${DCM_WERROR}>:/WX>)
    endif()
    if(DCM_ASAN)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
    target_compile_definitions(${target} PRIVATE
        QT_NO_URL_CAST_FROM_STRING
        QT_DISABLE_DEPRECATED_UP_TO=0x060400)
endfunction()
