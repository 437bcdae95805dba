# text.cmake - mc_text: the pure (curses-free) parts of tui/: text
# sanitising and layout, the config file parser and the line editor.
# Kept apart from mc_tui so unit tests and fuzzers link them without a
# terminal library. Included from tui/CMakeLists.txt.

add_library(mc_text STATIC
  ${CMAKE_CURRENT_LIST_DIR}/text.c
  ${CMAKE_CURRENT_LIST_DIR}/config.c
  ${CMAKE_CURRENT_LIST_DIR}/lineedit.c
  ${CMAKE_CURRENT_LIST_DIR}/mask.c
  ${CMAKE_CURRENT_LIST_DIR}/osc52.c
  ${CMAKE_CURRENT_LIST_DIR}/theme_spec.c
  ${CMAKE_CURRENT_LIST_DIR}/cmdargs.c
  ${CMAKE_CURRENT_LIST_DIR}/commands.c
  ${CMAKE_CURRENT_LIST_DIR}/history.c
  ${CMAKE_CURRENT_LIST_DIR}/wrapup.c)
mc_target(mc_text)
target_include_directories(mc_text PUBLIC ${PROJECT_SOURCE_DIR})
# lineedit takes the key codes of keymaps/ and canonicalises raw ones.
target_link_libraries(mc_text PUBLIC mc_keymaps m)
