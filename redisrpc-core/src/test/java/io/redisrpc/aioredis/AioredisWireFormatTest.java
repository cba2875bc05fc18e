package io.redisrpc.aioredis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.redisrpc.Endpoint;
import io.redisrpc.Protocol;
import io.redisrpc.RpcService;
import io.redisrpc.internal.aioredis.AioredisCodec;
import io.redisrpc.internal.aioredis.AioredisMapper;
import io.redisrpc.internal.aioredis.AioredisMethod;
import io.redisrpc.internal.aioredis.BadMessageException;
import io.redisrpc.internal.aioredis.RemoteError;
import io.redisrpc.internal.proxy.ServiceModel;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Golden byte vectors of the aioredis-rpc wire format, written out by hand from its description
 * (docs/AIOREDIS.md): each is decoded, checked field by field, and encoded again byte for byte.
 *
 * <p>MessagePack reminders: {@code 8x} map of x entries, {@code 9x} array, {@code ax}/{@code bx}
 * string of up to 31 bytes, {@code d9 nn} string of nn bytes, {@code c4 nn} binary, {@code c0} nil,
 * {@code c2}/{@code c3} false/true, {@code cd}/{@code ce}/{@code cf} unsigned 16/32/64 bit, {@code
 * e0..ff} negative fixint, {@code d7 tt} ext of 8 bytes, {@code d8 tt} ext of 16 bytes.
 */
class AioredisWireFormatTest {
  public record Meta(UUID owner, Instant created, List<String> tags) {}

  public record Document(
      String fileName, byte[] data, Meta meta, @JsonProperty("sizeHint") int size) {}

  public record Receipt(UUID id, Instant storedAt, List<Long> chunks) {}

  @RpcService("Docs")
  public interface Docs {
    @Endpoint
    Receipt storeDocument(Document doc, boolean overwrite);

    @Endpoint(name = "Fetch")
    Document fetch(String fileName);

    @Endpoint
    List<String> listNames();

    @Endpoint
    void ping();
  }

  static final AioredisCodec CODEC = AioredisCodec.of(ServiceModel.parse(Docs.class));

  static final UUID OWNER = UUID.fromString("12345678-1234-5678-9abc-def012345678");
  static final UUID RECEIPT_ID = UUID.fromString("0f0e0d0c-0b0a-0908-0706-050403020100");
  static final Instant CREATED = Instant.parse("2023-11-14T22:13:20.500Z"); // 1700000000.5
  static final Instant STORED = Instant.parse("2023-11-14T22:13:21.250Z"); // 1700000001.25

  static final String ID = "6f1c1b2ed2a011ee9c4f0242ac120002";
  static final String REPLY_TO = "rpc_client.3b7e8a52d2a011ee9c4f0242ac120002";

  static final Document DOCUMENT =
      new Document(
          "report.pdf",
          new byte[] {0x00, 0x01, (byte) 0xfe, (byte) 0xff},
          new Meta(OWNER, CREATED, List.of("q4", "draft")),
          4);

  // ---------------------------------------------------------------- the pieces, by hand

  /** "id": the 32 characters of a uuid1 hex, as str 8 (d9 20). */
  static final String ID_ENTRY =
      "a2 6964" + " d9 20 3666316331623265643261303131656539633466303234326163313230303032";

  /** "reply_to": "rpc_client." and 32 hex digits, 43 characters (d9 2b). */
  static final String REPLY_TO_ENTRY =
      "a8 7265706c795f746f"
          + " d9 2b 7270635f636c69656e742e"
          + "3362376538613532643261303131656539633466303234326163313230303032";

  static final String REPLY_TO_NIL = "a8 7265706c795f746f c0";

  /** "name": "store_document". */
  static final String NAME_STORE = "a4 6e616d65 ae 73746f72655f646f63756d656e74";

  static final String ARGS_KEY = "a4 61726773";
  static final String EMPTY_ARGS = ARGS_KEY + " 90";
  static final String KWARGS_KEY = "a6 6b7761726773";
  static final String EMPTY_KWARGS = KWARGS_KEY + " 80";
  static final String RESULT_KEY = "a6 726573756c74";
  static final String RESULT_NIL = RESULT_KEY + " c0";
  static final String ERROR_KEY = "a5 6572726f72";
  static final String ERROR_NIL = ERROR_KEY + " c0";

  /** The Document as a pydantic model's dict: snake_case names, explicit "sizeHint" kept. */
  static final String DOCUMENT_MAP =
      "84"
          + " a9 66696c655f6e616d65" // "file_name"
          + " aa 7265706f72742e706466" // "report.pdf"
          + " a4 64617461" // "data"
          + " c4 04 0001feff" // bin 8, 4 bytes
          + " a4 6d657461" // "meta"
          + " 83"
          + "   a5 6f776e6572" // "owner"
          + "   d8 19 12345678123456789abcdef012345678" // UUID: ext 25, 16 bytes
          + "   a7 63726561746564" // "created"
          + "   d7 17 00002040fc54d941" // datetime: ext 23, 1700000000.5 as float64 LE
          + "   a4 74616773" // "tags"
          + "   92 a2 7134 a5 6472616674" // ["q4", "draft"]
          + " a8 73697a6548696e74" // "sizeHint"
          + " 04";

  /** The Receipt: UUID, datetime, and integers of every width Python packs. */
  static final String RECEIPT_MAP =
      "83"
          + " a2 6964" // "id"
          + " d8 19 0f0e0d0c0b0a09080706050403020100"
          + " a9 73746f7265645f6174" // "stored_at"
          + " d7 17 00005040fc54d941" // 1700000001.25
          + " a6 6368756e6b73" // "chunks"
          + " 95 01 cd012c ce00011170 fb cf000000012a05f200"; // 1, 300, 70000, -5, 5000000000

  // ---------------------------------------------------------------- whole messages

  /** store_document(doc, True) from a client: positional args, empty kwargs. */
  static final String STORE_REQUEST =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_ENTRY,
          NAME_STORE,
          ARGS_KEY + " 92 " + DOCUMENT_MAP + " c3",
          EMPTY_KWARGS,
          RESULT_NIL,
          ERROR_NIL);

  /** The same call as a Python caller may write it: store_document(doc=doc, overwrite=False). */
  static final String STORE_REQUEST_KWARGS =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_ENTRY,
          NAME_STORE,
          EMPTY_ARGS,
          KWARGS_KEY + " 82 a3 646f63 " + DOCUMENT_MAP + " a9 6f7665727772697465 c2",
          RESULT_NIL,
          ERROR_NIL);

  static final String STORE_REPLY =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_NIL,
          NAME_STORE,
          EMPTY_ARGS,
          EMPTY_KWARGS,
          RESULT_KEY + " " + RECEIPT_MAP,
          ERROR_NIL);

  /** raise Exception('too many files') in the server. */
  static final String STORE_ERROR_REPLY =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_NIL,
          NAME_STORE,
          EMPTY_ARGS,
          EMPTY_KWARGS,
          RESULT_NIL,
          ERROR_KEY
              + " 82"
              + " a3 6d7367 ae 746f6f206d616e792066696c6573" // "msg": "too many files"
              + " ab 6572726f725f636c617373 a9 457863657074696f6e"); // "error_class": "Exception"

  /** Fetch('report.pdf'): the explicit @Endpoint name travels as it is. */
  static final String FETCH_REQUEST =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_ENTRY,
          "a4 6e616d65 a5 4665746368",
          ARGS_KEY + " 91 aa 7265706f72742e706466",
          EMPTY_KWARGS,
          RESULT_NIL,
          ERROR_NIL);

  /** Fetch(file_name='report.pdf'): the parameter fileName is the keyword file_name. */
  static final String FETCH_REQUEST_KWARGS =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_ENTRY,
          "a4 6e616d65 a5 4665746368",
          EMPTY_ARGS,
          KWARGS_KEY + " 81 a9 66696c655f6e616d65 aa 7265706f72742e706466",
          RESULT_NIL,
          ERROR_NIL);

  static final String FETCH_REPLY =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_NIL,
          "a4 6e616d65 a5 4665746368",
          EMPTY_ARGS,
          EMPTY_KWARGS,
          RESULT_KEY + " " + DOCUMENT_MAP,
          ERROR_NIL);

  static final String LIST_NAMES_REPLY =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_NIL,
          "a4 6e616d65 aa 6c6973745f6e616d6573", // "list_names"
          EMPTY_ARGS,
          EMPTY_KWARGS,
          RESULT_KEY + " 92 a1 61 a1 62", // ["a", "b"]
          ERROR_NIL);

  static final String PING_REQUEST =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_ENTRY,
          "a4 6e616d65 a4 70696e67",
          EMPTY_ARGS,
          EMPTY_KWARGS,
          RESULT_NIL,
          ERROR_NIL);

  static final String PING_REPLY =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_NIL,
          "a4 6e616d65 a4 70696e67",
          EMPTY_ARGS,
          EMPTY_KWARGS,
          RESULT_NIL,
          ERROR_NIL);

  /** A request for a method Docs does not have. */
  static final String UNKNOWN_REQUEST =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_ENTRY,
          "a4 6e616d65 ab 64656c6574655f66696c65", // "delete_file"
          ARGS_KEY + " 91 aa 7265706f72742e706466",
          EMPTY_KWARGS,
          RESULT_NIL,
          ERROR_NIL);

  /** A Java server's answer to it (a Python server would stay silent). */
  static final String UNKNOWN_ERROR_REPLY =
      hex(
          "87",
          ID_ENTRY,
          REPLY_TO_NIL,
          "a4 6e616d65 ab 64656c6574655f66696c65",
          EMPTY_ARGS,
          EMPTY_KWARGS,
          RESULT_NIL,
          ERROR_KEY
              + " 82 a3 6d7367"
              + " d9 28 2764656c6574655f66696c652720697320" // "'delete_file' is "
              + "6e6f7420616e20656e64706f696e74206f6620446f6373" // "not an endpoint of Docs"
              + " ab 6572726f725f636c617373"
              + " b3 4e6f74496d706c656d656e7465644572726f72"); // "NotImplementedError"

  /** Every golden vector, for the Python peer to repack (AioredisInteropTest). */
  static final Map<String, String> ALL =
      Map.ofEntries(
          Map.entry("store_request", STORE_REQUEST),
          Map.entry("store_request_kwargs", STORE_REQUEST_KWARGS),
          Map.entry("store_reply", STORE_REPLY),
          Map.entry("store_error_reply", STORE_ERROR_REPLY),
          Map.entry("fetch_request", FETCH_REQUEST),
          Map.entry("fetch_request_kwargs", FETCH_REQUEST_KWARGS),
          Map.entry("fetch_reply", FETCH_REPLY),
          Map.entry("list_names_reply", LIST_NAMES_REPLY),
          Map.entry("ping_request", PING_REQUEST),
          Map.entry("ping_reply", PING_REPLY),
          Map.entry("unknown_request", UNKNOWN_REQUEST),
          Map.entry("unknown_error_reply", UNKNOWN_ERROR_REPLY));

  static String hex(String... parts) {
    return String.join("", parts).replace(" ", "");
  }

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static String hexOf(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static AioredisMethod method(String wireName) {
    AioredisMethod method = CODEC.method(wireName);
    assertThat(method).as(wireName).isNotNull();
    return method;
  }

  // ---------------------------------------------------------------- requests

  @Test
  void requestWithNestedModelBytesDatetimeUuidAndListRoundTripsByteForByte() throws Exception {
    AioredisCodec.Request request = CODEC.decodeRequest(bytes(STORE_REQUEST));

    assertThat(request.id()).isEqualTo(ID);
    assertThat(request.replyTo()).isEqualTo(REPLY_TO);
    assertThat(request.name()).isEqualTo("store_document");
    assertThat(request.failure()).isNull();
    assertThat(request.method()).isSameAs(method("store_document"));
    assertThat(request.arguments()).hasSize(2);
    assertThat(request.arguments()[0]).usingRecursiveComparison().isEqualTo(DOCUMENT);
    assertThat(request.arguments()[1]).isEqualTo(true);

    byte[] again =
        CODEC.encodeRequest(request.id(), REPLY_TO, request.method(), request.arguments());
    assertThat(hexOf(again)).isEqualTo(STORE_REQUEST);
  }

  @Test
  void javaCallEncodesToTheVector() {
    byte[] encoded =
        CODEC.encodeRequest(ID, REPLY_TO, method("store_document"), new Object[] {DOCUMENT, true});
    assertThat(hexOf(encoded)).isEqualTo(STORE_REQUEST);
  }

  @Test
  void keywordArgumentsBindByParameterName() throws Exception {
    AioredisCodec.Request request = CODEC.decodeRequest(bytes(STORE_REQUEST_KWARGS));
    assertThat(request.failure()).isNull();
    assertThat(request.arguments()[0]).usingRecursiveComparison().isEqualTo(DOCUMENT);
    assertThat(request.arguments()[1]).isEqualTo(false);

    AioredisCodec.Request fetch = CODEC.decodeRequest(bytes(FETCH_REQUEST_KWARGS));
    assertThat(fetch.failure()).isNull();
    assertThat(fetch.arguments()).containsExactly("report.pdf");
  }

  @Test
  void explicitEndpointNameTravelsAsItIs() throws Exception {
    AioredisCodec.Request request = CODEC.decodeRequest(bytes(FETCH_REQUEST));
    assertThat(request.method()).isSameAs(method("Fetch"));
    assertThat(request.arguments()).containsExactly("report.pdf");
    assertThat(hexOf(CODEC.encodeRequest(ID, REPLY_TO, request.method(), request.arguments())))
        .isEqualTo(FETCH_REQUEST);
    assertThat(CODEC.method("fetch")).isNull();
  }

  @Test
  void requestWithoutArgumentsRoundTrips() throws Exception {
    AioredisCodec.Request request = CODEC.decodeRequest(bytes(PING_REQUEST));
    assertThat(request.arguments()).isEmpty();
    assertThat(hexOf(CODEC.encodeRequest(ID, REPLY_TO, method("ping"), new Object[0])))
        .isEqualTo(PING_REQUEST);
  }

  @Test
  void unknownMethodIsAnsweredWithNotImplementedError() throws Exception {
    AioredisCodec.Request request = CODEC.decodeRequest(bytes(UNKNOWN_REQUEST));
    assertThat(request.method()).isNull();
    assertThat(request.failure())
        .isEqualTo(
            new RemoteError("'delete_file' is not an endpoint of Docs", "NotImplementedError"));
    byte[] reply = CODEC.encodeError(request.id(), request.name(), request.failure());
    assertThat(hexOf(reply)).isEqualTo(UNKNOWN_ERROR_REPLY);
  }

  @Test
  void argumentsThatDoNotBindAreTypeErrorsAsInPython() throws Exception {
    String tooMany =
        hex(
            "87",
            ID_ENTRY,
            REPLY_TO_ENTRY,
            "a4 6e616d65 a5 4665746368",
            ARGS_KEY + " 92 a1 61 a1 62",
            EMPTY_KWARGS,
            RESULT_NIL,
            ERROR_NIL);
    assertThat(CODEC.decodeRequest(bytes(tooMany)).failure())
        .isEqualTo(
            new RemoteError(
                "Fetch() takes 1 positional argument(s) but 2 were given", "TypeError"));

    String unexpected =
        hex(
            "87",
            ID_ENTRY,
            REPLY_TO_ENTRY,
            "a4 6e616d65 a5 4665746368",
            EMPTY_ARGS,
            KWARGS_KEY + " 81 a4 6e616d65 a1 61",
            RESULT_NIL,
            ERROR_NIL); // name='a'
    assertThat(CODEC.decodeRequest(bytes(unexpected)).failure())
        .isEqualTo(
            new RemoteError("Fetch() got an unexpected keyword argument 'name'", "TypeError"));

    String twice =
        hex(
            "87",
            ID_ENTRY,
            REPLY_TO_ENTRY,
            "a4 6e616d65 a5 4665746368",
            ARGS_KEY + " 91 a1 61",
            KWARGS_KEY + " 81 a9 66696c655f6e616d65 a1 62",
            RESULT_NIL,
            ERROR_NIL);
    assertThat(CODEC.decodeRequest(bytes(twice)).failure())
        .isEqualTo(
            new RemoteError("Fetch() got multiple values for argument 'file_name'", "TypeError"));

    String missing =
        hex(
            "87",
            ID_ENTRY,
            REPLY_TO_ENTRY,
            "a4 6e616d65 a5 4665746368",
            EMPTY_ARGS,
            EMPTY_KWARGS,
            RESULT_NIL,
            ERROR_NIL);
    assertThat(CODEC.decodeRequest(bytes(missing)).failure())
        .isEqualTo(new RemoteError("Fetch() missing required argument: 'file_name'", "TypeError"));

    String wrongType = // overwrite given as a map
        hex(
            "87",
            ID_ENTRY,
            REPLY_TO_ENTRY,
            NAME_STORE,
            ARGS_KEY + " 92 " + DOCUMENT_MAP + " 80",
            EMPTY_KWARGS,
            RESULT_NIL,
            ERROR_NIL);
    RemoteError failure = CODEC.decodeRequest(bytes(wrongType)).failure();
    assertThat(failure.errorClass()).isEqualTo("TypeError");
    assertThat(failure.msg()).startsWith("Invalid argument 'overwrite' of store_document(): ");
  }

  @Test
  void bytesThatAreNoMessageThrow() {
    assertThatThrownBy(() -> CODEC.decodeRequest(bytes("92 01 02")))
        .isInstanceOf(BadMessageException.class);
    assertThatThrownBy(() -> CODEC.decodeRequest(bytes("81 a4 6e616d65 a4 70696e67")))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("id");
    assertThatThrownBy(() -> CODEC.decodeRequest(bytes("c1")))
        .isInstanceOf(BadMessageException.class);
  }

  // ---------------------------------------------------------------- replies

  @Test
  void replyWithModelUuidDatetimeAndIntegersRoundTripsByteForByte() throws Exception {
    AioredisMethod store = method("store_document");
    AioredisCodec.Reply reply = CODEC.decodeReply(bytes(STORE_REPLY), id -> store);
    assertThat(reply.id()).isEqualTo(ID);
    assertThat(reply.name()).isEqualTo("store_document");
    assertThat(reply.error()).isNull();
    assertThat(reply.undecodable()).isNull();
    assertThat(reply.result())
        .isEqualTo(new Receipt(RECEIPT_ID, STORED, List.of(1L, 300L, 70000L, -5L, 5_000_000_000L)));

    assertThat(hexOf(CODEC.encodeResult(ID, store, reply.result()))).isEqualTo(STORE_REPLY);
  }

  @Test
  void errorReplyRoundTripsByteForByte() throws Exception {
    AioredisCodec.Reply reply =
        CODEC.decodeReply(bytes(STORE_ERROR_REPLY), id -> method("store_document"));
    assertThat(reply.error()).isEqualTo(new RemoteError("too many files", "Exception"));
    assertThat(reply.error().describe("store_document"))
        .isEqualTo("Remote RPC error: Exception too many files (from store_document)");
    assertThat(hexOf(CODEC.encodeError(ID, "store_document", reply.error())))
        .isEqualTo(STORE_ERROR_REPLY);
  }

  @Test
  void replyWithNestedModelAndListRoundTrip() throws Exception {
    AioredisCodec.Reply fetched = CODEC.decodeReply(bytes(FETCH_REPLY), id -> method("Fetch"));
    assertThat(fetched.result()).usingRecursiveComparison().isEqualTo(DOCUMENT);
    assertThat(hexOf(CODEC.encodeResult(ID, method("Fetch"), fetched.result())))
        .isEqualTo(FETCH_REPLY);

    AioredisCodec.Reply names =
        CODEC.decodeReply(bytes(LIST_NAMES_REPLY), id -> method("list_names"));
    assertThat(names.result()).isEqualTo(List.of("a", "b"));
    assertThat(hexOf(CODEC.encodeResult(ID, method("list_names"), names.result())))
        .isEqualTo(LIST_NAMES_REPLY);

    AioredisCodec.Reply ping = CODEC.decodeReply(bytes(PING_REPLY), id -> method("ping"));
    assertThat(ping.result()).isNull();
    assertThat(hexOf(CODEC.encodeResult(ID, method("ping"), null))).isEqualTo(PING_REPLY);
  }

  @Test
  void replyForNoWaitingCallIsDecodedWithoutItsResult() throws Exception {
    AioredisCodec.Reply reply = CODEC.decodeReply(bytes(STORE_REPLY), id -> null);
    assertThat(reply.id()).isEqualTo(ID);
    assertThat(reply.result()).isNull();
  }

  @Test
  void resultOfTheWrongShapeIsReportedNotThrown() throws Exception {
    AioredisCodec.Reply reply =
        CODEC.decodeReply(bytes(LIST_NAMES_REPLY), id -> method("store_document"));
    assertThat(reply.undecodable()).isNotNull();
  }

  // ---------------------------------------------------------------- names and ext types

  @Test
  void endpointAndParameterNamesAreSnakeCaseUnlessGiven() {
    assertThat(method("store_document").parameterNames()).containsExactly("doc", "overwrite");
    assertThat(method("Fetch").parameterNames()).containsExactly("file_name");
    assertThat(AioredisMethod.snakeCase("uploadFile")).isEqualTo("upload_file");
    assertThat(AioredisMethod.snakeCase("getFileNames")).isEqualTo("get_file_names");
  }

  @Test
  void datetimeIsFloat64LittleEndianSecondsRoundedToMicroseconds() throws Exception {
    assertThat(hexOf(AioredisMapper.encodeDatetime(CREATED))).isEqualTo("00002040fc54d941");
    assertThat(AioredisMapper.decodeDatetime(bytes("00002040fc54d941"))).isEqualTo(CREATED);
    // -1.5: before the epoch, the fraction still counts forward from the whole second below.
    assertThat(AioredisMapper.decodeDatetime(bytes("000000000000f8bf")))
        .isEqualTo(Instant.parse("1969-12-31T23:59:58.500Z"));
    // Below a microsecond is lost, as Python's datetime has no more.
    Instant withNanos = Instant.parse("2023-11-14T22:13:20.123456789Z");
    assertThat(AioredisMapper.decodeDatetime(AioredisMapper.encodeDatetime(withNanos)))
        .isEqualTo(Instant.parse("2023-11-14T22:13:20.123456Z"));
    assertThatThrownBy(() -> AioredisMapper.decodeDatetime(bytes("0000")))
        .hasMessageContaining("8 bytes");
  }

  @Test
  void localDateTimeIsLocalTimeAsPythonsNaiveDatetime() throws Exception {
    LocalDateTime local = LocalDateTime.ofInstant(CREATED, ZoneId.systemDefault());
    byte[] encoded = AioredisMapper.mapper().writeValueAsBytes(local);
    assertThat(hexOf(encoded)).isEqualTo("d717" + "00002040fc54d941");
    assertThat(AioredisMapper.mapper().readValue(encoded, LocalDateTime.class)).isEqualTo(local);
  }

  @Test
  void extTypesDecodeIntoInstantAndUuidWhereTheTypeIsObject() throws Exception {
    Object value =
        AioredisMapper.mapper()
            .readValue(
                bytes("92 d8 19 12345678123456789abcdef012345678 d7 17 00002040fc54d941"),
                Object.class);
    assertThat(value).isEqualTo(List.of(OWNER, CREATED));
    assertThat(hexOf(AioredisMapper.mapper().writeValueAsBytes(value)))
        .isEqualTo("92d81912345678123456789abcdef012345678d71700002040fc54d941");
  }

  @Test
  void floatsAreFloat64AsPythonWritesThem() throws Exception {
    assertThat(hexOf(AioredisMapper.mapper().writeValueAsBytes(1.5f)))
        .isEqualTo("cb3ff8000000000000");
    assertThat(hexOf(AioredisMapper.mapper().writeValueAsBytes(1.5d)))
        .isEqualTo("cb3ff8000000000000");
  }

  @Test
  void protocolOptions() {
    assertThat(Protocol.NATIVE.isNative()).isTrue();
    assertThat(Protocol.NATIVE.queueName()).isEmpty();
    assertThat(Protocol.aioredisRpc().queueName()).contains("rpc_queue");
    assertThat(Protocol.aioredisRpc()).isEqualTo(Protocol.aioredisRpc("rpc_queue"));
    assertThat(Protocol.aioredisRpc("jobs").toString()).isEqualTo("aioredis-rpc(jobs)");
    assertThatThrownBy(() -> Protocol.aioredisRpc("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Protocol.aioredisRpc("rpc_client.x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reply channels");
  }

  @RpcService("Clash")
  public interface Clash {
    @Endpoint
    int getUrl();

    @Endpoint(name = "get_url")
    int url();
  }

  @Test
  void twoEndpointsWithOneWireNameFailAtCreation() {
    assertThatThrownBy(() -> AioredisCodec.of(ServiceModel.parse(Clash.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'get_url'");
  }

  @Test
  void lengthHeadersLongerThanTheMessageAreRefusedBeforeParsing() {
    // A bin32 announcing 4 GiB inside a map: a parser would try to allocate it.
    byte[] greedy = bytes("81 a2 6964 c6 ffffffff 00");
    assertThatThrownBy(() -> CODEC.decodeRequest(greedy))
        .isInstanceOf(BadMessageException.class)
        .hasMessage("not one well-formed MessagePack value");
    assertThatThrownBy(() -> CODEC.decodeReply(greedy, id -> null))
        .isInstanceOf(BadMessageException.class);
  }
}
