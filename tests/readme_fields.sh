#!/bin/sh
# README.md's counter table is what `mmbench list --fields` prints from
# fields.def: the two cannot drift apart. Usage: readme_fields.sh MMBENCH README
set -eu
mmbench=$1 readme=$2
want=$(mktemp) got=$(mktemp)
trap 'rm -f "$want" "$got"' EXIT
"$mmbench" list --fields > "$want"
sed -n '/^<!-- fields:begin -->$/,/^<!-- fields:end -->$/p' "$readme" | sed '1d;$d' > "$got"
if ! diff -u "$want" "$got"; then
    echo "README.md's counter table differs from 'mmbench list --fields' (paste its output between the fields markers)" >&2
    exit 1
fi
echo "README counter table matches fields.def"
