#!/bin/sh
# Creates the direct-grant flow "direct grant with app passwords" in a realm and, optionally, binds it
# to one client (its "Direct grant flow" override):
#
#   direct-grant-validate-username                 REQUIRED
#   sub-flow "app password or password and OTP"  REQUIRED
#     direct-grant-app-password                    ALTERNATIVE
#     sub-flow "password and OTP"                  ALTERNATIVE
#       direct-grant-validate-password             REQUIRED
#       sub-flow "conditional OTP"                 CONDITIONAL
#         conditional-user-configured              REQUIRED
#         direct-grant-validate-otp                REQUIRED
#
# With --app-password-first it creates "direct grant app password first" instead, which lets one user's
# parallel logins through (mail clients open several connections at once; Keycloak's username step
# refuses a login while another login of the same user is in flight):
#
#   direct-grant-app-password                      ALTERNATIVE  (finds the user itself)
#   sub-flow "username password and OTP"          ALTERNATIVE
#     direct-grant-validate-username               REQUIRED
#     direct-grant-validate-password               REQUIRED
#     sub-flow "conditional OTP after app password" CONDITIONAL
#       conditional-user-configured                REQUIRED
#       direct-grant-validate-otp                  REQUIRED
#
# For a mail server's client, the set-up endpoint does more than this script: its "mailClients" binds
# "direct grant app passwords for mail" (transient sessions), turns off refresh tokens and signs the
# client's tokens with HS256 (see docs/admin-guide.md, "Set up the flow"). From the command line:
#   kcadm.sh create app-passwords/setup -r <realm> -b '{"mailClients": ["<client-id>"]}'
#
# Usage: create-app-password-flow.sh [--app-password-first] <realm> [client-id]
# Log in first:  kcadm.sh config credentials --server http://localhost:8080 --realm master --user admin
# Set KCADM to the kcadm.sh to use (default: kcadm.sh on the PATH).
set -eu

LAYOUT=username-first
if [ "${1:-}" = "--app-password-first" ]; then
  LAYOUT=app-password-first
  shift
fi
if [ $# -lt 1 ]; then
  echo "usage: $0 [--app-password-first] <realm> [client-id]" >&2
  exit 2
fi
REALM=$1
CLIENT=${2:-}
KCADM=${KCADM:-kcadm.sh}

flow() { # alias description top-level -> prints the new flow's id
  $KCADM create authentication/flows -r "$REALM" -i -s "alias=$1" -s "description=$2" \
    -s providerId=basic-flow -s "topLevel=$3" -s builtIn=false
}
step() { # parent-flow-id authenticator requirement priority
  $KCADM create authentication/executions -r "$REALM" -i -s "parentFlow=$1" -s "authenticator=$2" \
    -s "requirement=$3" -s "priority=$4" >/dev/null
}
subflow() { # parent-flow-id child-flow-id requirement priority
  $KCADM create authentication/executions -r "$REALM" -i -s "parentFlow=$1" -s "flowId=$2" \
    -s authenticatorFlow=true -s "requirement=$3" -s "priority=$4" >/dev/null
}

if [ "$LAYOUT" = app-password-first ]; then
  top=$(flow "direct grant app password first" "An app password, or username password and OTP" true)
  password=$(flow "username password and OTP" "Username, account password, then OTP if the user has one" false)
  otp=$(flow "conditional OTP after app password" "OTP for users who have it" false)

  step    "$top"      direct-grant-app-password      ALTERNATIVE 10
  subflow "$top"      "$password"                    ALTERNATIVE 20
  step    "$password" direct-grant-validate-username REQUIRED    10
  step    "$password" direct-grant-validate-password REQUIRED    20
  subflow "$password" "$otp"                         CONDITIONAL 30
  step    "$otp"      conditional-user-configured    REQUIRED    10
  step    "$otp"      direct-grant-validate-otp      REQUIRED    20
  echo "Created flow 'direct grant app password first' ($top) in realm $REALM"
else
  top=$(flow "direct grant with app passwords" "Username, then an app password, or the account password and OTP" true)
  either=$(flow "app password or password and OTP" "An app password, or the account password and OTP" false)
  password=$(flow "password and OTP" "The account password, then OTP if the user has one" false)
  otp=$(flow "conditional OTP" "OTP for users who have it" false)

  step    "$top"      direct-grant-validate-username REQUIRED    10
  subflow "$top"      "$either"                      REQUIRED    20
  step    "$either"   direct-grant-app-password      ALTERNATIVE 10
  subflow "$either"   "$password"                    ALTERNATIVE 20
  step    "$password" direct-grant-validate-password REQUIRED    10
  subflow "$password" "$otp"                         CONDITIONAL 20
  step    "$otp"      conditional-user-configured    REQUIRED    10
  step    "$otp"      direct-grant-validate-otp      REQUIRED    20
  echo "Created flow 'direct grant with app passwords' ($top) in realm $REALM"
fi

if [ -n "$CLIENT" ]; then
  id=$($KCADM get clients -r "$REALM" -q "clientId=$CLIENT" --fields id --format csv --noquotes)
  if [ -z "$id" ]; then
    echo "client $CLIENT not found in realm $REALM" >&2
    exit 1
  fi
  $KCADM update "clients/$id" -r "$REALM" -s "authenticationFlowBindingOverrides.direct_grant=$top"
  echo "Bound it as the direct grant flow of client $CLIENT"
fi
