package io.github.etcdgrpclb.sample.client;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the sample client does.
 */
@ConfigurationProperties("demo")
public class DemoProperties {

	/**
	 * How many calls to make.
	 */
	private int calls = 1000;

	/**
	 * Calls per second; 0 means as fast as answers come.
	 */
	private int rate = 0;

	/**
	 * How many servers to wait for in etcd before calling (0: do not wait).
	 */
	private int awaitServers = 0;

	/**
	 * Whether the client fails when the calls did not follow etcd's weights (a server's share more
	 * than six binomial deviations off its weight's): the demo's own check. Off where routing rules
	 * (zones, tags) narrow the servers on purpose.
	 */
	private boolean checkSplit = true;

	public int getCalls() {
		return this.calls;
	}

	public void setCalls(int calls) {
		this.calls = calls;
	}

	public int getRate() {
		return this.rate;
	}

	public void setRate(int rate) {
		this.rate = rate;
	}

	public int getAwaitServers() {
		return this.awaitServers;
	}

	public void setAwaitServers(int awaitServers) {
		this.awaitServers = awaitServers;
	}

	public boolean isCheckSplit() {
		return this.checkSplit;
	}

	public void setCheckSplit(boolean checkSplit) {
		this.checkSplit = checkSplit;
	}

}
