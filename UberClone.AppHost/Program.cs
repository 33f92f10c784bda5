using UberClone.Contracts;

var builder = DistributedApplication.CreateBuilder(args);

// Embedded defaults: a Kafka broker inside this process and SQLite files under .data/. An existing server is used
// instead when this AppHost's configuration has ConnectionStrings:kafka or ConnectionStrings:mongo.
var kafka = builder.AddKafka(Resources.Kafka, port: builder.Configuration.GetValue("Kafka:Port", 9092))
    .WithTopics(Topics.AllWithDeadLetters);
// Mail (password reset codes, receipts) is caught and shown in the dashboard's logs of "mail", as MailPit would.
var mail = builder.AddMailPit(Resources.Mail, smtpPort: builder.Configuration.GetValue("Mail:Port", 1025));
var mongo = builder.AddMongoDB(Resources.Mongo)
    .WithDataBindMount(builder.Configuration["Storage:DataDirectory"] ?? Path.Combine("..", ".data"));

var trips = AddService<Projects.UberClone_Trips>(Resources.Trips, mongo.AddDatabase(Resources.TripsDb));
var drivers = AddService<Projects.UberClone_Drivers>(Resources.Drivers, mongo.AddDatabase(Resources.DriversDb));
var payments = AddService<Projects.UberClone_Payments>(Resources.Payments, mongo.AddDatabase(Resources.PaymentsDb));
// Trips holds the upfront price on the rider's card while booking (gRPC to payments; ADR 0027).
trips.WithReference(payments);
// Drivers reserving rides for later are shown the rides near them that their car takes (gRPC to drivers; ADR 0047).
trips.WithReference(drivers);

var jwtSigningKey = builder.AddParameter(Resources.JwtSigningKey, secret: true, generate: true);
// 2-step verification secrets are encrypted at rest under this one (ADR 0052); appsettings.Development.json gives a local key.
var twoStepSecretKey = builder.AddParameter(Resources.TwoStepSecretKey, secret: true, generate: true);
// Rotating that key: the new one above, the old one here (empty until then), and secrets move to the new one as they are used.
var twoStepPreviousKeys = builder.AddParameter(Resources.TwoStepPreviousSecretKeys, value: "", publishValueAsDefault: true, secret: true);
// The support desk's account (the web app's /ops): appsettings.Development.json gives a local password.
var operatorPassword = builder.AddParameter(Resources.OperatorPassword, secret: true, generate: true);
var gateway = builder.AddProject<Projects.UberClone_Gateway>(Resources.Gateway)
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Gateway:Port", 8080), name: Resources.HttpEndpoint)
    .WithExternalHttpEndpoints()
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithEnvironment("TwoStep__SecretKey", twoStepSecretKey)
    .WithEnvironment("TwoStep__PreviousSecretKeys", twoStepPreviousKeys)
    .WithEnvironment("Operators__Bootstrap__Email", Resources.OperatorEmail)
    .WithEnvironment("Operators__Bootstrap__Password", operatorPassword)
    .WithReference(kafka).WithReference(mongo.AddDatabase(Resources.AccountsDb)).WithReference(mail)
    .WithReference(trips).WithReference(drivers).WithReference(payments)
    .WaitFor(kafka).WaitFor(trips).WaitFor(drivers).WaitFor(payments);

// The web app's dev server (hot reload) by default; --Web:Script=start builds it (`npm run build`) and serves the
// production build, as the browser tests and the container image do.
builder.AddNpmApp(Resources.Web, Path.Combine("..", "web"), builder.Configuration["Web:Script"] ?? "dev")
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Web:Port", 3000), name: Resources.HttpEndpoint)
    .WithExternalHttpEndpoints()
    .WithReference(gateway)
    .WaitFor(gateway);

builder.Build().Run();

// REST and /health on "http" (HTTP/1.1), gRPC on "grpc" (HTTP/2 cleartext), like eShop's gRPC services.
IResourceBuilder<ProjectResource> AddService<TProject>(string name, IResourceBuilder<MongoDBDatabaseResource> database)
    where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name)
        .WithHttpEndpoint(name: Resources.HttpEndpoint)
        .WithHttpEndpoint(name: Resources.GrpcEndpoint).WithEndpoint(Resources.GrpcEndpoint, e => e.Transport = "http2")
        .WithReference(kafka).WithReference(database)
        .WaitFor(kafka);
