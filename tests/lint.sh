#!/usr/bin/env bash
# Lint the project's own C++: clang-format (the committed .clang-format) and
# cppcheck (warnings, performance, portability). Third-party code is not ours
# to lint. usage: lint.sh SOURCE_DIR
set -uo pipefail
cd "$1"
mapfile -t files < <(git ls-files '*.cc' '*.h' 2>/dev/null || find lib daemon tests -name '*.cc' -o -name '*.h')
status=0
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "FAIL: clang-format: run clang-format -i on the files above"
  status=1
fi
if ! cppcheck --enable=warning,performance,portability --std=c++20 --quiet \
    --error-exitcode=1 --inline-suppr -I lib lib daemon; then
  echo "FAIL: cppcheck"
  status=1
fi
if [[ $status == 0 ]]; then echo "2 passed, 0 failed"; else echo "lint failed"; fi
exit $status
