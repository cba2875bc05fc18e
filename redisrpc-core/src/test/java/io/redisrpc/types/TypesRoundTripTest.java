package io.redisrpc.types;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Codec;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Arguments and results of every supported kind travel through a real server and come back exactly,
 * in both codecs, with blocking and asynchronous endpoints on either side.
 */
@WithRedis
class TypesRoundTripTest {

  // ================================================================ value types

  enum Color {
    RED,
    GREEN,
    BLUE
  }

  /** A record with a byte array; equals compares the bytes. */
  record FileData(String name, byte[] data) {
    @Override
    public boolean equals(Object o) {
      return o instanceof FileData f && Objects.equals(name, f.name) && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
      return 31 * Objects.hashCode(name) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "FileData["
          + name
          + ", "
          + (data == null ? "null" : HexFormat.of().formatHex(data))
          + "]";
    }
  }

  /** A record with arrays and no custom equals: compared with usingRecursiveComparison. */
  record Blob(byte[] bytes, List<byte[]> chunks, int[] ints, Color color) {}

  record Owner(UUID id, String displayName, OffsetDateTime since) {}

  /** Nested records, recursively. */
  record Folder(
      String name, Owner owner, List<FileData> files, Map<String, Folder> children, Color color) {}

  record Moment(Instant instant, OffsetDateTime offsetDateTime, LocalDate date) {}

  record Numbers(BigDecimal decimal, BigInteger integer, long l, double d, boolean b, char c) {}

  record Labelled(String name, Optional<String> label) {}

  record Mixed(
      int count,
      String text,
      FileData file,
      OffsetDateTime at,
      List<UUID> ids,
      Optional<String> note,
      long big,
      Color color,
      byte[] raw) {}

  record Nulls(
      String s,
      FileData f,
      List<String> l,
      byte[] b,
      Instant i,
      UUID u,
      BigDecimal d,
      Integer boxed,
      Color c,
      Account a) {}

  /** A plain bean: no-arg constructor, getters and setters. */
  static final class Account {
    private String owner;
    private long balanceCents;
    private boolean active;
    private List<String> tags;
    private Instant opened;
    private Color tier;
    private byte[] avatar;

    public Account() {}

    public String getOwner() {
      return owner;
    }

    public void setOwner(String owner) {
      this.owner = owner;
    }

    public long getBalanceCents() {
      return balanceCents;
    }

    public void setBalanceCents(long balanceCents) {
      this.balanceCents = balanceCents;
    }

    public boolean isActive() {
      return active;
    }

    public void setActive(boolean active) {
      this.active = active;
    }

    public List<String> getTags() {
      return tags;
    }

    public void setTags(List<String> tags) {
      this.tags = tags;
    }

    public Instant getOpened() {
      return opened;
    }

    public void setOpened(Instant opened) {
      this.opened = opened;
    }

    public Color getTier() {
      return tier;
    }

    public void setTier(Color tier) {
      this.tier = tier;
    }

    public byte[] getAvatar() {
      return avatar;
    }

    public void setAvatar(byte[] avatar) {
      this.avatar = avatar;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Account a
          && Objects.equals(owner, a.owner)
          && balanceCents == a.balanceCents
          && active == a.active
          && Objects.equals(tags, a.tags)
          && Objects.equals(opened, a.opened)
          && tier == a.tier
          && Arrays.equals(avatar, a.avatar);
    }

    @Override
    public int hashCode() {
      return Objects.hash(owner, balanceCents, active, tags, opened, tier) * 31
          + Arrays.hashCode(avatar);
    }

    @Override
    public String toString() {
      return "Account[owner="
          + owner
          + ", balanceCents="
          + balanceCents
          + ", active="
          + active
          + ", tags="
          + tags
          + ", opened="
          + opened
          + ", tier="
          + tier
          + ", avatar="
          + (avatar == null ? "null" : HexFormat.of().formatHex(avatar))
          + "]";
    }
  }

  // ================================================================ services

  /** The blocking echo service. */
  @RpcService("Types")
  interface Types {
    @Endpoint
    FileData file(FileData v);

    @Endpoint
    Account pojo(Account v);

    @Endpoint
    Folder folder(Folder v);

    @Endpoint
    Blob blob(Blob v);

    @Endpoint
    byte[] bytes(byte[] v);

    @Endpoint
    Instant instant(Instant v);

    @Endpoint
    OffsetDateTime offsetDateTime(OffsetDateTime v);

    @Endpoint
    LocalDate localDate(LocalDate v);

    @Endpoint
    Moment moment(Moment v);

    @Endpoint
    UUID uuid(UUID v);

    @Endpoint
    Color color(Color v);

    @Endpoint
    BigDecimal bigDecimal(BigDecimal v);

    @Endpoint
    BigInteger bigInteger(BigInteger v);

    @Endpoint
    Numbers numbers(Numbers v);

    @Endpoint
    Optional<String> optional(Optional<String> v);

    @Endpoint
    Labelled labelled(Labelled v);

    @Endpoint
    List<FileData> fileList(List<FileData> v);

    @Endpoint
    Map<String, List<FileData>> fileMap(Map<String, List<FileData>> v);

    @Endpoint
    Set<UUID> uuidSet(Set<UUID> v);

    @Endpoint
    FileData[] fileArray(FileData[] v);

    @Endpoint
    int[] intArray(int[] v);

    @Endpoint
    long primitiveLong(long v);

    @Endpoint
    double primitiveDouble(double v);

    @Endpoint
    boolean primitiveBoolean(boolean v);

    @Endpoint
    char primitiveChar(char v);

    @Endpoint
    String string(String v);

    @Endpoint
    Mixed mixed(
        int count,
        String text,
        FileData file,
        OffsetDateTime at,
        List<UUID> ids,
        Optional<String> note,
        long big,
        Color color,
        byte[] raw);

    @Endpoint
    Nulls nulls(
        String s,
        FileData f,
        List<String> l,
        byte[] b,
        Instant i,
        UUID u,
        BigDecimal d,
        Integer boxed,
        Color c,
        Account a);

    /** What the server received, described on the server, so results cannot hide a bad argument. */
    @Endpoint
    String inspect(
        OffsetDateTime at, BigDecimal d, BigInteger i, byte[] raw, Optional<String> note, char c);

    @Endpoint
    void store(String key, FileData value);

    @Endpoint
    CompletableFuture<Void> storeAsync(String key, FileData value);
  }

  /** An asynchronous client of the blocking {@link Types} server. */
  @RpcService("Types")
  interface TypesAsyncClient {
    @Endpoint
    CompletableFuture<FileData> file(FileData v);

    @Endpoint
    CompletionStage<Account> pojo(Account v);

    @Endpoint
    CompletableFuture<Folder> folder(Folder v);

    @Endpoint
    CompletionStage<byte[]> bytes(byte[] v);

    @Endpoint
    CompletableFuture<Moment> moment(Moment v);

    @Endpoint
    CompletionStage<OffsetDateTime> offsetDateTime(OffsetDateTime v);

    @Endpoint
    CompletableFuture<BigDecimal> bigDecimal(BigDecimal v);

    @Endpoint
    CompletionStage<BigInteger> bigInteger(BigInteger v);

    @Endpoint
    CompletableFuture<Optional<String>> optional(Optional<String> v);

    @Endpoint
    CompletionStage<Map<String, List<FileData>>> fileMap(Map<String, List<FileData>> v);

    @Endpoint
    CompletableFuture<Set<UUID>> uuidSet(Set<UUID> v);

    @Endpoint
    CompletableFuture<FileData[]> fileArray(FileData[] v);

    @Endpoint
    CompletionStage<int[]> intArray(int[] v);

    @Endpoint
    CompletableFuture<Long> primitiveLong(long v);

    @Endpoint
    CompletionStage<Character> primitiveChar(char v);

    @Endpoint
    CompletableFuture<String> string(String v);

    @Endpoint
    CompletableFuture<Mixed> mixed(
        int count,
        String text,
        FileData file,
        OffsetDateTime at,
        List<UUID> ids,
        Optional<String> note,
        long big,
        Color color,
        byte[] raw);

    /** Asynchronous client of the blocking void endpoint. */
    @Endpoint
    CompletableFuture<Void> store(String key, FileData value);

    @Endpoint
    CompletionStage<Void> storeAsync(String key, FileData value);
  }

  /** The asynchronous echo service. */
  @RpcService("AsyncTypes")
  interface AsyncTypes {
    @Endpoint
    CompletableFuture<FileData> file(FileData v);

    @Endpoint
    CompletionStage<Account> pojo(Account v);

    @Endpoint
    CompletableFuture<Folder> folder(Folder v);

    @Endpoint
    CompletionStage<byte[]> bytes(byte[] v);

    @Endpoint
    CompletableFuture<Moment> moment(Moment v);

    @Endpoint
    CompletableFuture<BigDecimal> bigDecimal(BigDecimal v);

    @Endpoint
    CompletionStage<BigInteger> bigInteger(BigInteger v);

    @Endpoint
    CompletableFuture<Optional<String>> optional(Optional<String> v);

    @Endpoint
    CompletableFuture<Labelled> labelled(Labelled v);

    @Endpoint
    CompletableFuture<Map<String, List<FileData>>> fileMap(Map<String, List<FileData>> v);

    @Endpoint
    CompletableFuture<Set<UUID>> uuidSet(Set<UUID> v);

    @Endpoint
    CompletionStage<FileData[]> fileArray(FileData[] v);

    @Endpoint
    CompletableFuture<int[]> intArray(int[] v);

    @Endpoint
    CompletableFuture<Long> primitiveLong(long v);

    @Endpoint
    CompletableFuture<Double> primitiveDouble(double v);

    @Endpoint
    CompletionStage<Boolean> primitiveBoolean(boolean v);

    @Endpoint
    CompletableFuture<Character> primitiveChar(char v);

    @Endpoint
    CompletableFuture<String> string(String v);

    @Endpoint
    CompletableFuture<Mixed> mixed(
        int count,
        String text,
        FileData file,
        OffsetDateTime at,
        List<UUID> ids,
        Optional<String> note,
        long big,
        Color color,
        byte[] raw);

    @Endpoint
    CompletableFuture<Void> store(String key, FileData value);
  }

  /** A blocking client of the asynchronous {@link AsyncTypes} server. */
  @RpcService("AsyncTypes")
  interface AsyncTypesBlockingClient {
    @Endpoint
    FileData file(FileData v);

    @Endpoint
    Account pojo(Account v);

    @Endpoint
    Folder folder(Folder v);

    @Endpoint
    byte[] bytes(byte[] v);

    @Endpoint
    Moment moment(Moment v);

    @Endpoint
    BigDecimal bigDecimal(BigDecimal v);

    @Endpoint
    BigInteger bigInteger(BigInteger v);

    @Endpoint
    Optional<String> optional(Optional<String> v);

    @Endpoint
    Labelled labelled(Labelled v);

    @Endpoint
    Map<String, List<FileData>> fileMap(Map<String, List<FileData>> v);

    @Endpoint
    Set<UUID> uuidSet(Set<UUID> v);

    @Endpoint
    FileData[] fileArray(FileData[] v);

    @Endpoint
    int[] intArray(int[] v);

    @Endpoint
    long primitiveLong(long v);

    @Endpoint
    double primitiveDouble(double v);

    @Endpoint
    boolean primitiveBoolean(boolean v);

    @Endpoint
    char primitiveChar(char v);

    @Endpoint
    String string(String v);

    @Endpoint
    Mixed mixed(
        int count,
        String text,
        FileData file,
        OffsetDateTime at,
        List<UUID> ids,
        Optional<String> note,
        long big,
        Color color,
        byte[] raw);

    /** Blocking void client of an endpoint served as CompletableFuture&lt;Void&gt;. */
    @Endpoint
    void store(String key, FileData value);
  }

  // ================================================================ implementations

  static final class TypesImpl implements Types {
    final Map<String, FileData> stored = new ConcurrentHashMap<>();

    public FileData file(FileData v) {
      return v;
    }

    public Account pojo(Account v) {
      return v;
    }

    public Folder folder(Folder v) {
      return v;
    }

    public Blob blob(Blob v) {
      return v;
    }

    public byte[] bytes(byte[] v) {
      return v;
    }

    public Instant instant(Instant v) {
      return v;
    }

    public OffsetDateTime offsetDateTime(OffsetDateTime v) {
      return v;
    }

    public LocalDate localDate(LocalDate v) {
      return v;
    }

    public Moment moment(Moment v) {
      return v;
    }

    public UUID uuid(UUID v) {
      return v;
    }

    public Color color(Color v) {
      return v;
    }

    public BigDecimal bigDecimal(BigDecimal v) {
      return v;
    }

    public BigInteger bigInteger(BigInteger v) {
      return v;
    }

    public Numbers numbers(Numbers v) {
      return v;
    }

    public Optional<String> optional(Optional<String> v) {
      return v;
    }

    public Labelled labelled(Labelled v) {
      return v;
    }

    public List<FileData> fileList(List<FileData> v) {
      return v;
    }

    public Map<String, List<FileData>> fileMap(Map<String, List<FileData>> v) {
      return v;
    }

    public Set<UUID> uuidSet(Set<UUID> v) {
      return v;
    }

    public FileData[] fileArray(FileData[] v) {
      return v;
    }

    public int[] intArray(int[] v) {
      return v;
    }

    public long primitiveLong(long v) {
      return v;
    }

    public double primitiveDouble(double v) {
      return v;
    }

    public boolean primitiveBoolean(boolean v) {
      return v;
    }

    public char primitiveChar(char v) {
      return v;
    }

    public String string(String v) {
      return v;
    }

    public Mixed mixed(
        int count,
        String text,
        FileData file,
        OffsetDateTime at,
        List<UUID> ids,
        Optional<String> note,
        long big,
        Color color,
        byte[] raw) {
      return new Mixed(count, text, file, at, ids, note, big, color, raw);
    }

    public Nulls nulls(
        String s,
        FileData f,
        List<String> l,
        byte[] b,
        Instant i,
        UUID u,
        BigDecimal d,
        Integer boxed,
        Color c,
        Account a) {
      return new Nulls(s, f, l, b, i, u, d, boxed, c, a);
    }

    public String inspect(
        OffsetDateTime at, BigDecimal d, BigInteger i, byte[] raw, Optional<String> note, char c) {
      return describe(at, d, i, raw, note, c);
    }

    public void store(String key, FileData value) {
      stored.put(key, value);
    }

    public CompletableFuture<Void> storeAsync(String key, FileData value) {
      return CompletableFuture.runAsync(() -> stored.put(key, value));
    }
  }

  /** Completes every result on another thread, after the handler has returned. */
  static final class AsyncTypesImpl implements AsyncTypes {
    final Map<String, FileData> stored = new ConcurrentHashMap<>();

    private static <T> CompletableFuture<T> later(T v) {
      return CompletableFuture.supplyAsync(() -> v);
    }

    public CompletableFuture<FileData> file(FileData v) {
      return later(v);
    }

    public CompletionStage<Account> pojo(Account v) {
      return later(v);
    }

    public CompletableFuture<Folder> folder(Folder v) {
      return later(v);
    }

    public CompletionStage<byte[]> bytes(byte[] v) {
      return later(v);
    }

    public CompletableFuture<Moment> moment(Moment v) {
      return later(v);
    }

    public CompletableFuture<BigDecimal> bigDecimal(BigDecimal v) {
      return later(v);
    }

    public CompletionStage<BigInteger> bigInteger(BigInteger v) {
      return later(v);
    }

    public CompletableFuture<Optional<String>> optional(Optional<String> v) {
      return later(v);
    }

    public CompletableFuture<Labelled> labelled(Labelled v) {
      return later(v);
    }

    public CompletableFuture<Map<String, List<FileData>>> fileMap(Map<String, List<FileData>> v) {
      return later(v);
    }

    public CompletableFuture<Set<UUID>> uuidSet(Set<UUID> v) {
      return later(v);
    }

    public CompletionStage<FileData[]> fileArray(FileData[] v) {
      return later(v);
    }

    public CompletableFuture<int[]> intArray(int[] v) {
      return later(v);
    }

    public CompletableFuture<Long> primitiveLong(long v) {
      return later(v);
    }

    public CompletableFuture<Double> primitiveDouble(double v) {
      return later(v);
    }

    public CompletionStage<Boolean> primitiveBoolean(boolean v) {
      return later(v);
    }

    public CompletableFuture<Character> primitiveChar(char v) {
      return later(v);
    }

    public CompletableFuture<String> string(String v) {
      return later(v);
    }

    public CompletableFuture<Mixed> mixed(
        int count,
        String text,
        FileData file,
        OffsetDateTime at,
        List<UUID> ids,
        Optional<String> note,
        long big,
        Color color,
        byte[] raw) {
      return later(new Mixed(count, text, file, at, ids, note, big, color, raw));
    }

    public CompletableFuture<Void> store(String key, FileData value) {
      return CompletableFuture.runAsync(() -> stored.put(key, value));
    }
  }

  // ================================================================ fixtures

  private static final TypesImpl TYPES = new TypesImpl();
  private static final AsyncTypesImpl ASYNC_TYPES = new AsyncTypesImpl();
  private static final List<AutoCloseable> RESOURCES = new ArrayList<>();
  private static final Map<Codec, Fixture> FIXTURES = new LinkedHashMap<>();

  /** The servers and clients of one codec. */
  private static final class Fixture {
    final Types types;
    final TypesAsyncClient typesAsync;
    final AsyncTypes asyncTypes;
    final AsyncTypesBlockingClient asyncTypesBlocking;

    Fixture(Codec codec, String uri) {
      track(RpcServer.create(Types.class, TYPES)).connect(uri);
      track(RpcServer.create(AsyncTypes.class, ASYNC_TYPES)).connect(uri);
      types = track(RpcClient.builder(Types.class).codec(codec).build()).connect(uri).proxy();
      typesAsync =
          track(RpcClient.builder(TypesAsyncClient.class).codec(codec).build())
              .connect(uri)
              .proxy();
      asyncTypes =
          track(RpcClient.builder(AsyncTypes.class).codec(codec).build()).connect(uri).proxy();
      asyncTypesBlocking =
          track(RpcClient.builder(AsyncTypesBlockingClient.class).codec(codec).build())
              .connect(uri)
              .proxy();
    }

    private static <R extends AutoCloseable> R track(R resource) {
      RESOURCES.add(resource);
      return resource;
    }
  }

  @BeforeAll
  static void start(RedisProcess redis) {
    for (Codec codec : List.of(Codec.JSON, Codec.MSGPACK)) {
      FIXTURES.put(codec, new Fixture(codec, redis.uri()));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    // Clients first, then servers: reverse order of creation.
    List<AutoCloseable> all = new ArrayList<>(RESOURCES);
    Collections.reverse(all);
    RESOURCES.clear();
    FIXTURES.clear();
    Exception failure = null;
    for (AutoCloseable resource : all) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  static Stream<Codec> codecs() {
    return Stream.of(Codec.JSON, Codec.MSGPACK);
  }

  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @ParameterizedTest(name = "{0}")
  @MethodSource("codecs")
  @interface BothCodecs {}

  private static Types types(Codec codec) {
    return FIXTURES.get(codec).types;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, SECONDS);
  }

  // ================================================================ test data

  static byte[] allBytes() {
    byte[] b = new byte[256];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(42).nextBytes(b);
    return b;
  }

  static final String UNICODE =
      "héllo wörld — 😀👍🏽👨‍👩‍👧‍👦 中文字符 日本語 한국어 العربية עברית 𝄞 \uDBFF\uDFFF"
          + " \u0000\u0001\u001f\t\n\r\"\\/ \u2028\u2029 \uFEFF";

  static final ZoneOffset IST = ZoneOffset.ofHoursMinutes(5, 30);

  static final OffsetDateTime AT_IST = OffsetDateTime.of(2024, 3, 15, 10, 30, 45, 123_456_789, IST);

  static final BigDecimal BIG_DECIMAL = new BigDecimal("12345678901234567890.123456789000");

  static final BigInteger BIG_INTEGER = new BigInteger("123456789012345678901234567890123456789");

  static FileData file(String name, byte[] data) {
    return new FileData(name, data);
  }

  static Account account() {
    Account a = new Account();
    a.setOwner("Zoë 😀");
    a.setBalanceCents(Long.MIN_VALUE + 1);
    a.setActive(true);
    a.setTags(List.of("vip", "ünïcødé", ""));
    a.setOpened(Instant.parse("2023-12-31T23:59:59.999999999Z"));
    a.setTier(Color.GREEN);
    a.setAvatar(allBytes());
    return a;
  }

  static Folder folder() {
    Owner owner =
        new Owner(
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
            "Ada 中文",
            OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHoursMinutes(-9, -30)));
    Folder leaf =
        new Folder(
            "leaf",
            new Owner(new UUID(Long.MAX_VALUE, Long.MIN_VALUE), "leaf owner", AT_IST),
            List.of(file("empty", new byte[0]), file("all", allBytes())),
            Map.of(),
            Color.BLUE);
    Map<String, Folder> children = new LinkedHashMap<>();
    children.put("leaf", leaf);
    children.put("bare", new Folder("bare", null, List.of(), Map.of(), null));
    return new Folder(
        "root", owner, List.of(file("a.txt", "hello".getBytes())), children, Color.RED);
  }

  static Moment moment() {
    return new Moment(
        Instant.ofEpochSecond(1_700_000_000L, 123_456_789), AT_IST, LocalDate.of(2024, 2, 29));
  }

  static Map<String, List<FileData>> fileMap() {
    Map<String, List<FileData>> m = new LinkedHashMap<>();
    m.put("docs", List.of(file("a", allBytes()), file("b", new byte[0])));
    m.put("empty", List.of());
    m.put("😀文件", List.of(file(UNICODE, randomBytes(1000))));
    return m;
  }

  static Set<UUID> uuidSet() {
    return Set.of(UUID.randomUUID(), new UUID(0, 0), new UUID(-1, -1), new UUID(Long.MIN_VALUE, 1));
  }

  static String describe(
      OffsetDateTime at, BigDecimal d, BigInteger i, byte[] raw, Optional<String> note, char c) {
    return at
        + "|"
        + at.getOffset()
        + "|"
        + d.unscaledValue()
        + "e-"
        + d.scale()
        + "|"
        + i.toString(16)
        + "|"
        + HexFormat.of().formatHex(raw)
        + "|"
        + note
        + "|"
        + (int) c;
  }

  // ================================================================ tests: blocking both sides

  @BothCodecs
  void recordsAndPojos(Codec codec) {
    Types types = types(codec);

    FileData file = file("a.bin", allBytes());
    assertThat(types.file(file)).isEqualTo(file);
    assertThat(types.file(file("", new byte[0]))).isEqualTo(file("", new byte[0]));
    assertThat(types.file(file(null, null))).isEqualTo(file(null, null));

    Account account = account();
    assertThat(types.pojo(account)).isEqualTo(account);
    Account empty = new Account();
    assertThat(types.pojo(empty)).isEqualTo(empty);

    Blob blob =
        new Blob(
            allBytes(),
            List.of(new byte[0], new byte[] {-128, 0, 127}, randomBytes(300)),
            new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE},
            Color.BLUE);
    assertThat(types.blob(blob))
        .usingRecursiveComparison()
        .withStrictTypeChecking()
        .isEqualTo(blob);
  }

  @BothCodecs
  void nestedRecords(Codec codec) {
    Folder folder = folder();
    Folder back = types(codec).folder(folder);
    assertThat(back).isEqualTo(folder);
    assertThat(back.children().get("leaf").owner().since().getOffset()).isEqualTo(IST);
    assertThat(back.children().get("leaf").files().get(0).data()).isNotNull().isEmpty();
  }

  @BothCodecs
  void byteArrays(Codec codec) {
    Types types = types(codec);
    assertThat(types.bytes(new byte[0])).isNotNull().isEmpty();
    assertThat(types.bytes(allBytes())).containsExactly(allBytes());
    assertThat(types.bytes(new byte[] {0})).containsExactly(0);
    byte[] big = randomBytes(64 * 1024);
    assertThat(types.bytes(big)).containsExactly(big);
    assertThat(types.bytes(null)).isNull();
  }

  @BothCodecs
  void timeTypes(Codec codec) {
    Types types = types(codec);
    for (Instant instant :
        List.of(
            Instant.parse("2024-02-29T23:59:59.123456789Z"),
            Instant.ofEpochSecond(1_700_000_000L, 1),
            Instant.ofEpochSecond(-1, 1),
            Instant.EPOCH)) {
      assertThat(types.instant(instant)).isEqualTo(instant);
    }
    for (OffsetDateTime odt :
        List.of(
            AT_IST,
            OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 1, ZoneOffset.ofHoursMinutes(-3, -45)),
            OffsetDateTime.of(2038, 1, 19, 3, 14, 8, 0, ZoneOffset.ofHours(14)),
            OffsetDateTime.of(2024, 6, 1, 0, 0, 0, 500_000_000, ZoneOffset.UTC))) {
      OffsetDateTime back = types.offsetDateTime(odt);
      assertThat(back).isEqualTo(odt);
      assertThat(back.getOffset()).isEqualTo(odt.getOffset());
      assertThat(back.getNano()).isEqualTo(odt.getNano());
    }
    for (LocalDate date :
        List.of(LocalDate.of(2024, 2, 29), LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31))) {
      assertThat(types.localDate(date)).isEqualTo(date);
    }
    Moment moment = moment();
    assertThat(types.moment(moment)).isEqualTo(moment);
  }

  @BothCodecs
  void uuidsAndEnums(Codec codec) {
    Types types = types(codec);
    for (UUID uuid :
        List.of(UUID.randomUUID(), new UUID(0, 0), new UUID(-1, -1), new UUID(Long.MIN_VALUE, 1))) {
      assertThat(types.uuid(uuid)).isEqualTo(uuid);
    }
    for (Color color : Color.values()) {
      assertThat(types.color(color)).isSameAs(color);
    }
  }

  @BothCodecs
  void bigNumbersKeepValueAndScale(Codec codec) {
    Types types = types(codec);
    BigDecimal back = types.bigDecimal(BIG_DECIMAL);
    assertThat(back).isEqualTo(BIG_DECIMAL); // BigDecimal.equals compares the scale too
    assertThat(back.scale()).isEqualTo(12);
    assertThat(back.toString()).isEqualTo("12345678901234567890.123456789000");
    for (String decimal :
        List.of("0.000", "-0.5", "1E+10", "-1E-40", "-98765432109876543210.5", "3", "1E+3")) {
      BigDecimal value = new BigDecimal(decimal);
      BigDecimal echoed = types.bigDecimal(value);
      assertThat(echoed).isEqualTo(value);
      assertThat(echoed.scale()).as("scale of %s", decimal).isEqualTo(value.scale());
    }
    for (BigInteger value :
        List.of(
            BIG_INTEGER,
            BIG_INTEGER.negate(),
            BigInteger.ONE.shiftLeft(64),
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(200).negate().add(BigInteger.ONE),
            BigInteger.ZERO)) {
      assertThat(types.bigInteger(value)).isEqualTo(value);
    }
    Numbers numbers = new Numbers(BIG_DECIMAL, BIG_INTEGER, Long.MAX_VALUE, -0.0, true, '中');
    Numbers echoed = types.numbers(numbers);
    assertThat(echoed).isEqualTo(numbers);
    assertThat(echoed.decimal().scale()).isEqualTo(12);
  }

  @BothCodecs
  void optionals(Codec codec) {
    Types types = types(codec);
    assertThat(types.optional(Optional.of("present 😀"))).isEqualTo(Optional.of("present 😀"));
    assertThat(types.optional(Optional.of(""))).isEqualTo(Optional.of(""));
    assertThat(types.optional(Optional.empty())).isNotNull().isEmpty();
    Labelled present = new Labelled("a", Optional.of("label"));
    Labelled absent = new Labelled("b", Optional.empty());
    assertThat(types.labelled(present)).isEqualTo(present);
    Labelled back = types.labelled(absent);
    assertThat(back).isEqualTo(absent);
    assertThat(back.label()).isNotNull().isEmpty();
  }

  @BothCodecs
  void genericContainers(Codec codec) {
    Types types = types(codec);
    List<FileData> files = Arrays.asList(file("x", allBytes()), null, file("y", new byte[0]));
    assertThat(types.fileList(files)).containsExactlyElementsOf(files);
    assertThat(types.fileList(List.of())).isNotNull().isEmpty();

    Map<String, List<FileData>> map = fileMap();
    Map<String, List<FileData>> mapBack = types.fileMap(map);
    assertThat(mapBack).isEqualTo(map);
    assertThat(mapBack.get("docs")).allSatisfy(f -> assertThat(f).isInstanceOf(FileData.class));

    Set<UUID> ids = uuidSet();
    Set<UUID> idsBack = types.uuidSet(ids);
    assertThat(idsBack).isEqualTo(ids);
    assertThat(idsBack).allSatisfy(id -> assertThat(id).isInstanceOf(UUID.class));
  }

  @BothCodecs
  void arrays(Codec codec) {
    Types types = types(codec);
    FileData[] files = {file("a", allBytes()), null, file("", new byte[0])};
    FileData[] back = types.fileArray(files);
    assertThat(back).isInstanceOf(FileData[].class).containsExactly(files);
    assertThat(types.fileArray(new FileData[0])).isNotNull().isEmpty();

    int[] ints = {Integer.MIN_VALUE, -1, 0, 1, 42, Integer.MAX_VALUE};
    assertThat(types.intArray(ints)).containsExactly(ints);
    assertThat(types.intArray(new int[0])).isNotNull().isEmpty();
  }

  @BothCodecs
  void primitives(Codec codec) {
    Types types = types(codec);
    for (long v :
        new long[] {Long.MIN_VALUE, -1, 0, 1, (long) Integer.MAX_VALUE + 1, Long.MAX_VALUE}) {
      assertThat(types.primitiveLong(v)).isEqualTo(v);
    }
    for (double v :
        new double[] {
          Math.PI,
          0.1,
          -0.0,
          0.0,
          Double.MIN_VALUE,
          Double.MAX_VALUE,
          -1e-300,
          Double.NaN,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY
        }) {
      // Bits, so that -0.0 differs from 0.0.
      assertThat(Double.doubleToLongBits(types.primitiveDouble(v)))
          .as("double %s", v)
          .isEqualTo(Double.doubleToLongBits(v));
    }
    assertThat(types.primitiveBoolean(true)).isTrue();
    assertThat(types.primitiveBoolean(false)).isFalse();
    for (char c : new char[] {'a', 'é', '中', '\0', '"', '\\', '\n', '\uFFFD', '\uFFFF'}) {
      assertThat(types.primitiveChar(c)).as("char U+%04X", (int) c).isEqualTo(c);
    }
  }

  @BothCodecs
  void nullArguments(Codec codec) {
    Types types = types(codec);
    assertThat(types.nulls(null, null, null, null, null, null, null, null, null, null))
        .isEqualTo(new Nulls(null, null, null, null, null, null, null, null, null, null));
    assertThat(types.string(null)).isNull();
    assertThat(types.file(null)).isNull();
    assertThat(types.pojo(null)).isNull();
    assertThat(types.folder(null)).isNull();
    assertThat(types.bytes(null)).isNull();
    assertThat(types.instant(null)).isNull();
    assertThat(types.offsetDateTime(null)).isNull();
    assertThat(types.localDate(null)).isNull();
    assertThat(types.uuid(null)).isNull();
    assertThat(types.color(null)).isNull();
    assertThat(types.bigDecimal(null)).isNull();
    assertThat(types.bigInteger(null)).isNull();
    assertThat(types.fileList(null)).isNull();
    assertThat(types.fileMap(null)).isNull();
    assertThat(types.uuidSet(null)).isNull();
    assertThat(types.fileArray(null)).isNull();
    assertThat(types.intArray(null)).isNull();
  }

  @BothCodecs
  void unicodeStrings(Codec codec) {
    Types types = types(codec);
    assertThat(types.string(UNICODE)).isEqualTo(UNICODE);
    assertThat(types.string("")).isNotNull().isEmpty();
    assertThat(types.string("plain ascii")).isEqualTo("plain ascii");
    assertThat(types.file(file(UNICODE, new byte[] {1}))).isEqualTo(file(UNICODE, new byte[] {1}));
  }

  @BothCodecs
  void multipleParametersOfDifferentTypes(Codec codec) {
    List<UUID> ids = List.of(UUID.randomUUID(), new UUID(1, 2));
    byte[] raw = allBytes();
    Mixed expected =
        new Mixed(
            -7,
            UNICODE,
            file("f", raw),
            AT_IST,
            ids,
            Optional.of("note"),
            Long.MIN_VALUE,
            Color.GREEN,
            raw);
    Mixed back =
        types(codec)
            .mixed(
                -7,
                UNICODE,
                file("f", raw),
                AT_IST,
                ids,
                Optional.of("note"),
                Long.MIN_VALUE,
                Color.GREEN,
                raw);
    assertThat(back).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(expected);
    assertThat(back.at()).isEqualTo(AT_IST);
    assertThat(back.raw()).containsExactly(raw);

    Mixed sparse =
        types(codec).mixed(0, null, null, null, null, Optional.empty(), 0, null, new byte[0]);
    assertThat(sparse)
        .usingRecursiveComparison()
        .withStrictTypeChecking()
        .isEqualTo(new Mixed(0, null, null, null, null, Optional.empty(), 0, null, new byte[0]));
  }

  @BothCodecs
  void argumentsArriveExactlyOnTheServer(Codec codec) {
    BigDecimal d = new BigDecimal("-0.000100");
    BigInteger i = BigInteger.ONE.shiftLeft(100).negate();
    String seen = types(codec).inspect(AT_IST, d, i, allBytes(), Optional.of("n"), '中');
    assertThat(seen).isEqualTo(describe(AT_IST, d, i, allBytes(), Optional.of("n"), '中'));
    assertThat(seen).startsWith("2024-03-15T10:30:45.123456789+05:30|+05:30|-100e-6|");
    String empty =
        types(codec).inspect(AT_IST, BIG_DECIMAL, BIG_INTEGER, new byte[0], Optional.empty(), '\0');
    assertThat(empty)
        .isEqualTo(describe(AT_IST, BIG_DECIMAL, BIG_INTEGER, new byte[0], Optional.empty(), '\0'));
  }

  // ================================================================ tests: void endpoints

  @BothCodecs
  void voidEndpoints(Codec codec) throws Exception {
    Fixture f = FIXTURES.get(codec);

    // Blocking void client, blocking void server.
    String key1 = UUID.randomUUID().toString();
    f.types.store(key1, file("one", allBytes()));
    assertThat(TYPES.stored).containsEntry(key1, file("one", allBytes()));

    // CompletableFuture<Void> on both sides.
    String key2 = UUID.randomUUID().toString();
    CompletableFuture<Void> stored = f.types.storeAsync(key2, file("two", new byte[0]));
    assertThat(stored.get(10, SECONDS)).isNull();
    assertThat(TYPES.stored).containsEntry(key2, file("two", new byte[0]));

    // CompletableFuture<Void> client, blocking void server.
    String key3 = UUID.randomUUID().toString();
    assertThat(await(f.typesAsync.store(key3, file("three", allBytes())))).isNull();
    assertThat(TYPES.stored).containsEntry(key3, file("three", allBytes()));

    // CompletionStage<Void> client, CompletableFuture<Void> server.
    String key4 = UUID.randomUUID().toString();
    assertThat(await(f.typesAsync.storeAsync(key4, file("four", allBytes())))).isNull();
    assertThat(TYPES.stored).containsEntry(key4, file("four", allBytes()));

    // Blocking void client, CompletableFuture<Void> server.
    String key5 = UUID.randomUUID().toString();
    f.asyncTypesBlocking.store(key5, file("five", allBytes()));
    assertThat(ASYNC_TYPES.stored).containsEntry(key5, file("five", allBytes()));
  }

  // ================================================================ tests: asynchronous sides

  @BothCodecs
  void asyncClientOfBlockingServer(Codec codec) throws Exception {
    TypesAsyncClient c = FIXTURES.get(codec).typesAsync;

    assertThat(await(c.file(file("a", allBytes())))).isEqualTo(file("a", allBytes()));
    assertThat(await(c.pojo(account()))).isEqualTo(account());
    assertThat(await(c.folder(folder()))).isEqualTo(folder());
    assertThat(await(c.bytes(allBytes()))).containsExactly(allBytes());
    assertThat(await(c.bytes(new byte[0]))).isNotNull().isEmpty();
    assertThat(await(c.moment(moment()))).isEqualTo(moment());
    OffsetDateTime odt = await(c.offsetDateTime(AT_IST));
    assertThat(odt).isEqualTo(AT_IST);
    assertThat(odt.getOffset()).isEqualTo(IST);
    BigDecimal decimal = await(c.bigDecimal(BIG_DECIMAL));
    assertThat(decimal).isEqualTo(BIG_DECIMAL);
    assertThat(decimal.scale()).isEqualTo(12);
    assertThat(await(c.bigInteger(BIG_INTEGER))).isEqualTo(BIG_INTEGER);
    assertThat(await(c.optional(Optional.of("x")))).isEqualTo(Optional.of("x"));
    assertThat(await(c.optional(Optional.empty()))).isNotNull().isEmpty();
    assertThat(await(c.fileMap(fileMap()))).isEqualTo(fileMap());
    Set<UUID> ids = uuidSet();
    assertThat(await(c.uuidSet(ids))).isEqualTo(ids);
    FileData[] files = {file("a", allBytes()), null};
    assertThat(await(c.fileArray(files))).containsExactly(files);
    assertThat(await(c.intArray(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE})))
        .containsExactly(Integer.MIN_VALUE, 0, Integer.MAX_VALUE);
    assertThat(await(c.primitiveLong(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    assertThat(await(c.primitiveChar('中'))).isEqualTo('中');
    assertThat(await(c.string(UNICODE))).isEqualTo(UNICODE);
    assertThat(await(c.string(null))).isNull();
    List<UUID> idList = List.of(UUID.randomUUID());
    Mixed expected =
        new Mixed(
            3,
            "t",
            file("f", allBytes()),
            AT_IST,
            idList,
            Optional.empty(),
            1L << 40,
            Color.RED,
            allBytes());
    assertThat(
            await(
                c.mixed(
                    3,
                    "t",
                    file("f", allBytes()),
                    AT_IST,
                    idList,
                    Optional.empty(),
                    1L << 40,
                    Color.RED,
                    allBytes())))
        .usingRecursiveComparison()
        .withStrictTypeChecking()
        .isEqualTo(expected);
  }

  @BothCodecs
  void blockingClientOfAsyncServer(Codec codec) {
    AsyncTypesBlockingClient c = FIXTURES.get(codec).asyncTypesBlocking;

    assertThat(c.file(file("a", allBytes()))).isEqualTo(file("a", allBytes()));
    assertThat(c.file(null)).isNull();
    assertThat(c.pojo(account())).isEqualTo(account());
    assertThat(c.folder(folder())).isEqualTo(folder());
    assertThat(c.bytes(allBytes())).containsExactly(allBytes());
    assertThat(c.bytes(new byte[0])).isNotNull().isEmpty();
    assertThat(c.moment(moment())).isEqualTo(moment());
    assertThat(c.moment(moment()).offsetDateTime().getOffset()).isEqualTo(IST);
    BigDecimal decimal = c.bigDecimal(BIG_DECIMAL);
    assertThat(decimal).isEqualTo(BIG_DECIMAL);
    assertThat(decimal.scale()).isEqualTo(12);
    assertThat(c.bigInteger(BIG_INTEGER.negate())).isEqualTo(BIG_INTEGER.negate());
    assertThat(c.optional(Optional.of("x"))).isEqualTo(Optional.of("x"));
    assertThat(c.optional(Optional.empty())).isNotNull().isEmpty();
    assertThat(c.labelled(new Labelled("n", Optional.empty())))
        .isEqualTo(new Labelled("n", Optional.empty()));
    assertThat(c.labelled(new Labelled("n", Optional.of("l"))))
        .isEqualTo(new Labelled("n", Optional.of("l")));
    assertThat(c.fileMap(fileMap())).isEqualTo(fileMap());
    Set<UUID> ids = uuidSet();
    assertThat(c.uuidSet(ids)).isEqualTo(ids);
    FileData[] files = {null, file("b", allBytes())};
    assertThat(c.fileArray(files)).containsExactly(files);
    assertThat(c.intArray(new int[] {-5, 5})).containsExactly(-5, 5);
    assertThat(c.primitiveLong(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(Double.doubleToLongBits(c.primitiveDouble(-0.0)))
        .isEqualTo(Double.doubleToLongBits(-0.0));
    assertThat(c.primitiveDouble(Math.E)).isEqualTo(Math.E);
    assertThat(c.primitiveBoolean(true)).isTrue();
    assertThat(c.primitiveBoolean(false)).isFalse();
    assertThat(c.primitiveChar('é')).isEqualTo('é');
    assertThat(c.string(UNICODE)).isEqualTo(UNICODE);
    List<UUID> idList = List.of(UUID.randomUUID(), new UUID(0, 0));
    Mixed expected =
        new Mixed(
            Integer.MAX_VALUE,
            "",
            file("", new byte[0]),
            AT_IST,
            idList,
            Optional.of("o"),
            -1,
            Color.BLUE,
            new byte[0]);
    assertThat(
            c.mixed(
                Integer.MAX_VALUE,
                "",
                file("", new byte[0]),
                AT_IST,
                idList,
                Optional.of("o"),
                -1,
                Color.BLUE,
                new byte[0]))
        .usingRecursiveComparison()
        .withStrictTypeChecking()
        .isEqualTo(expected);
  }

  @BothCodecs
  void asyncClientOfAsyncServer(Codec codec) throws Exception {
    AsyncTypes c = FIXTURES.get(codec).asyncTypes;

    assertThat(await(c.file(file("a", allBytes())))).isEqualTo(file("a", allBytes()));
    assertThat(await(c.pojo(account()))).isEqualTo(account());
    assertThat(await(c.folder(folder()))).isEqualTo(folder());
    assertThat(await(c.bytes(allBytes()))).containsExactly(allBytes());
    assertThat(await(c.moment(moment()))).isEqualTo(moment());
    assertThat(await(c.bigDecimal(BIG_DECIMAL)).scale()).isEqualTo(12);
    assertThat(await(c.bigDecimal(BIG_DECIMAL))).isEqualTo(BIG_DECIMAL);
    assertThat(await(c.optional(Optional.empty()))).isNotNull().isEmpty();
    assertThat(await(c.labelled(new Labelled("x", Optional.of("y")))))
        .isEqualTo(new Labelled("x", Optional.of("y")));
    assertThat(await(c.fileMap(fileMap()))).isEqualTo(fileMap());
    assertThat(await(c.primitiveBoolean(true))).isTrue();
    assertThat(await(c.primitiveChar('\0'))).isEqualTo('\0');

    String key = UUID.randomUUID().toString();
    assertThat(await(c.store(key, file("k", allBytes())))).isNull();
    assertThat(ASYNC_TYPES.stored).containsEntry(key, file("k", allBytes()));
  }
}
