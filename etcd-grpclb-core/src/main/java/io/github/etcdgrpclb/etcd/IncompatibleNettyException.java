package io.github.etcdgrpclb.etcd;

/**
 * Thrown at startup when the classpath has a Netty older than 4.2, which jetcd 0.8 cannot run on.
 */
public class IncompatibleNettyException extends IllegalStateException {

	private final String detectedVersion;

	IncompatibleNettyException(String detectedVersion) {
		super("jetcd needs Netty 4.2 but the classpath has Netty " + detectedVersion
				+ " (io.netty.channel.MultiThreadIoEventLoopGroup is missing): lease keep-alive would fail");
		this.detectedVersion = detectedVersion;
	}

	/** @return the Netty version found on the classpath, or {@code unknown} */
	public String getDetectedVersion() {
		return this.detectedVersion;
	}

}
