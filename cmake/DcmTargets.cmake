# Per-layer include roots. Each layer's sources are reached as "<layer>/File.h" only through a
# folder in the build tree that holds a single link to that layer, and only targets that link the
# layer get that folder on their include path. An include across a forbidden edge fails to build.
# `layer` may be a sub-folder ("app/service"): its headers are then "app/service/File.h", and a
# target that links only that library cannot reach a sibling folder ("app/storage").
function(dcm_layer_include_root target layer)
    string(REPLACE "/" "_" root_name "${layer}")
    set(root "${CMAKE_BINARY_DIR}/include-roots/${root_name}")
    if(NOT EXISTS "${root}/${layer}")
        get_filename_component(parent "${root}/${layer}" DIRECTORY)
        file(MAKE_DIRECTORY "${parent}")
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
