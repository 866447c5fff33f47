package io.github.etcdgrpclb.config;

/** Thrown when configuration folders cannot be read from etcd (unreachable, or no answer in time). */
public class ConfigReadException extends RuntimeException {

	public ConfigReadException(String message, Throwable cause) {
		super(message, cause);
	}

}
