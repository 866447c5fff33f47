package io.github.etcdgrpclb.spring.etcd;

/**
 * Thrown when an {@code etcd.*} or {@code grpc.weight} property has a value the starter cannot work
 * with; {@link InvalidEtcdPropertyFailureAnalyzer} turns it into a startup report naming the property.
 */
public class InvalidEtcdPropertyException extends RuntimeException {

	private final String property;

	private final Object value;

	private final String action;

	public InvalidEtcdPropertyException(String property, Object value, String reason, String action) {
		this(property, value, reason, action, null);
	}

	public InvalidEtcdPropertyException(String property, Object value, String reason, String action, Throwable cause) {
		super("Invalid value '" + value + "' of property '" + property + "': " + reason, cause);
		this.property = property;
		this.value = value;
		this.action = action;
	}

	String getProperty() {
		return this.property;
	}

	Object getValue() {
		return this.value;
	}

	String getAction() {
		return this.action;
	}

}
