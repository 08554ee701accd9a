# `sam build` (BuildMethod: makefile) calls the target named after the function; the same script builds
# locally with `npm run build:app` (default output dist-app/).
.PHONY: build-ExamBuddyFunction

build-ExamBuddyFunction:
	node scripts/build.mjs --out $(ARTIFACTS_DIR)
