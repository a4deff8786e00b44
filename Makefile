.PHONY: up down status test bench
up:      ## start infrastructure and the four services, wait until ready, print URLs
	bash scripts/stack.sh up
down:    ## stop the services and the infrastructure
	bash scripts/stack.sh down
status:
	bash scripts/stack.sh status
test:    ## install what is missing, start test infrastructure, run every check and test
	bash scripts/test.sh
bench:   ## run the benchmarks (not part of the tests)
	bash scripts/bench.sh
