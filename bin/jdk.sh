# Sourced by the scripts in bin/ and .ci/run: picks a JDK 21 or newer (the machine's default java may be older).
kindling_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p' | cut -d. -f1; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(kindling_java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(kindling_java_major "$candidate")" -ge 21 ] 2>/dev/null; then JAVA_HOME="$candidate"; fi
  done
  if [ -z "$JAVA_HOME" ]; then echo "Kindling needs a JDK 21 or newer (none found under /usr/lib/jvm); set JAVA_HOME" >&2; exit 1; fi
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
# Loopback only: the SDK must never probe the instance metadata address, DynamoDB Local never phone home.
export AWS_EC2_METADATA_DISABLED=true DDB_LOCAL_TELEMETRY=0
