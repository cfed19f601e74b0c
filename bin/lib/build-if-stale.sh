# Sourced by bin/adamix and bin/setup-notebooks: builds the project (mvn package -DskipTests) if it was never
# built or a POM or main source changed since the last build. One place, so both watch the same files.
# eval/search (adamix search, notebook 4) is a module of its own below eval/: it is watched too.
build_if_stale() { # $1 = root of the checkout, $2 = who is asking (for the message)
  local root="$1" stamp="$1/eval/target/lib/.built"
  if [ ! -f "$stamp" ] || [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/main "$root"/eval/search/pom.xml \
      "$root"/eval/search/src/main -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    echo "$2: building (mvn package -DskipTests)..." >&2
    (cd "$root" && mvn -B -ntp -q -DskipTests package) >&2
    touch "$stamp"
  fi
}
