package io.github.etcdgrpclb.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Go tutorial's client calls {@code /proto.Simple/Route}: the Java stubs must use that name.
 */
class SimpleWireNameTests {

	@Test
	void routeMethodShouldHaveTheGoTutorialsWireName() {
		assertThat(SimpleGrpc.getRouteMethod().getFullMethodName()).isEqualTo("proto.Simple/Route");
		assertThat(SimpleGrpc.SERVICE_NAME).isEqualTo("proto.Simple");
	}

	@Test
	void messagesShouldUseTheTutorialsFieldNumbers() {
		assertThat(SimpleRequest.getDescriptor().findFieldByName("data").getNumber()).isEqualTo(1);
		assertThat(SimpleResponse.getDescriptor().findFieldByName("code").getNumber()).isEqualTo(1);
		assertThat(SimpleResponse.getDescriptor().findFieldByName("value").getNumber()).isEqualTo(2);
	}

}
