# Sourced by ./hallmark and ./mvnw: picks a JDK of at least release 21 (the newest under /usr/lib/jvm
# unless JAVA_HOME already names a good one) and a Maven. Prints nothing on success.

hallmark_java_release() { # JAVA_HOME -> feature release number, e.g. 25
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

hallmark_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local r; r=$(hallmark_java_release "$JAVA_HOME")
    if [ "${r:-0}" -ge 21 ] 2>/dev/null; then return 0; fi
  fi
  local best="" best_r=0 home r
  for home in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$home/bin/javac" ] || continue
    r=$(hallmark_java_release "$home")
    if [ "${r:-0}" -gt "$best_r" ] 2>/dev/null; then best="$home"; best_r=$r; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    r=$(hallmark_java_release "$home"); [ "${r:-0}" -ge 21 ] 2>/dev/null && best="$home" && best_r=$r
  fi
  if [ -z "$best" ] || [ "$best_r" -lt 21 ]; then
    echo "hallmark: needs a JDK 21 or newer (found none under /usr/lib/jvm; set JAVA_HOME)" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

# Maven: the one on PATH, else a copy fetched once from Maven Central into ~/.m2/wrapper.
HALLMARK_MAVEN_VERSION=3.9.11
hallmark_pick_maven() {
  if command -v mvn >/dev/null 2>&1; then MVN=mvn; return 0; fi
  local dir="$HOME/.m2/wrapper/apache-maven-$HALLMARK_MAVEN_VERSION"
  if [ ! -x "$dir/bin/mvn" ]; then
    echo "hallmark: fetching Apache Maven $HALLMARK_MAVEN_VERSION into $dir" >&2
    mkdir -p "$HOME/.m2/wrapper"
    local url="https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/$HALLMARK_MAVEN_VERSION/apache-maven-$HALLMARK_MAVEN_VERSION-bin.tar.gz"
    curl -fsSL "$url" | tar -xz -C "$HOME/.m2/wrapper" || { echo "hallmark: could not fetch Maven; install it (apt-get install maven)" >&2; return 1; }
  fi
  MVN="$dir/bin/mvn"
}
